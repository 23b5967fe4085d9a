"""Live room fan-out: the delay from a facilitator's command to each member's screen.

    .venv/bin/python bench/room_fanout.py [--rooms 100] [--clients 8] [--seconds 10] [--json]
    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/room_fanout.py --workers 2

Sets up a throwaway SQLite database in demo mode with N sets (one facilitator and K-1 members
each) and one meeting per set, starts the real server (`revans serve`: uvicorn, one process,
in-memory channel layer) and connects every person to their meeting's room over real
WebSockets. With `--workers W` the data goes to the (empty, throwaway) PostgreSQL database of
DATABASE_URL and the live room through the Redis of REDIS_URL, and `revans serve --workers W`
serves it: the clients connect to one port and the operating system spreads them across the
workers (the pids seen are printed). Each room's facilitator then sends timer commands (start, add a minute, pause) at a
steady rate for S seconds; every member's receipt of the resulting event is matched to the
command by its client message id. `lost` counts the receipts that never came, after a drain.

The same clients, rooms and rate are then run against a bare broadcast server written with the
`websockets` library (a message from a room's first client goes to every client of the room):
the floor for one Python process. Prints one JSON line:
{"rooms", "clients", "events", "lost", "p50_ms", "p99_ms", "baseline_p50_ms", "baseline_p99_ms"}
where `events` is the number of commands sent (each should reach K-1 members).

Clients and server share the machine, so compare the two runs, not absolute milliseconds.
"""

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect

HOST = "127.0.0.1"
COMMANDS = [
    ("timer_start", {}),
    ("timer_add", {"minutes": 1}),
    ("timer_pause", {}),
]
CONNECT_CONCURRENCY = 32  # handshakes in flight at once
DRAIN_IDLE_SECONDS = 5.0  # after the last command: stop waiting when nothing came for this long
DRAIN_MAX_SECONDS = 60.0  # … or after this long in all
STOP_SECONDS = 10.0


# The bare broadcast server (run in its own process, as the real server is) ----------------------


async def serve_baseline() -> None:
    """Room path → its connections, in the order they came; a client's "hello" is answered to it
    alone, and every other message from a room's first client goes to all clients of the room."""
    from websockets.asyncio.server import broadcast, serve

    rooms: dict[str, list] = {}
    pid = os.getpid()

    async def handler(ws) -> None:
        people = rooms.setdefault(ws.request.path, [])
        people.append(ws)
        try:
            async for message in ws:
                if '"hello"' in message[:40]:
                    await ws.send(json.dumps({"type": "snapshot", "seq": 0, "pid": pid}))
                elif people[0] is ws:
                    broadcast(people, message)
        finally:
            people.remove(ws)

    stop = asyncio.get_running_loop().create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set_result, None)
    async with serve(handler, HOST, 0, ping_interval=None, max_queue=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await stop


# The clients ------------------------------------------------------------------------------------


@dataclass
class Room:
    path: str
    facilitator: str  # session key
    members: list[str]  # session keys


@dataclass
class Run:
    sent: dict[str, float] = field(default_factory=dict)  # client message id → send time
    latencies: list[float] = field(default_factory=list)
    expected: int = 0
    received: int = 0
    duplicates: int = 0
    errors: list[dict] = field(default_factory=list)
    pids: set[int] = field(default_factory=set)
    received_all: asyncio.Event = field(default_factory=asyncio.Event)
    first_sent: float = 0.0
    last_received: float = 0.0
    drain_seconds: float = 0.0

    def check_done(self, drivers_done: bool) -> None:
        if drivers_done and self.received >= self.expected:
            self.received_all.set()


async def open_client(url: str, origin: str, session_key: str | None, run: Run):
    headers = {"Cookie": f"sessionid={session_key}"} if session_key else {}
    ws = await connect(
        url,
        origin=origin,
        additional_headers=headers,
        proxy=None,
        open_timeout=60,
        close_timeout=5,
        ping_interval=None,
        max_size=2**23,
        max_queue=None,
    )
    await ws.send(json.dumps({"type": "hello", "last_seq": None}))
    first = json.loads(await asyncio.wait_for(ws.recv(), 60))
    if first.get("type") != "snapshot":
        raise RuntimeError(f"expected a snapshot after hello, got {str(first)[:200]}")
    if "pid" in first:
        run.pids.add(first["pid"])
    return ws


async def listen(ws, run: Run, is_member: bool, state: dict) -> None:
    """Counts a member's first receipt of each command's event; the facilitator's copy is the
    acknowledgement and is not timed."""
    seen: set[str] = set()
    with contextlib.suppress(Exception):
        async for raw in ws:
            now = time.perf_counter()
            message = json.loads(raw)
            kind = message.get("type")
            if kind in ("event", "command"):  # the bare server echoes the command itself
                cid = message.get("id")
                sent = run.sent.get(cid)
                if sent is None or not is_member:
                    continue
                if cid in seen:
                    run.duplicates += 1
                    continue
                seen.add(cid)
                run.latencies.append(now - sent)
                run.received += 1
                run.last_received = now
                run.check_done(state["drivers_done"])
            elif kind == "error":
                run.errors.append(message)


async def drive(ws, room_index: int, rooms: int, seconds: float, rate: float, run: Run, k: int):
    """Sends commands on a fixed schedule (open loop), rooms staggered across the first interval."""
    loop = asyncio.get_running_loop()
    start = loop.time() + room_index / rooms / rate
    for n, (name, args) in zip(itertools.count(), itertools.cycle(COMMANDS)):
        due = start + n / rate
        if n and due - start >= seconds:
            return
        await asyncio.sleep(max(0.0, due - loop.time()))
        cid = f"bench-{room_index}-{n}"
        frame = json.dumps({"type": "command", "id": cid, "name": name, "args": args})
        run.sent[cid] = time.perf_counter()
        run.first_sent = run.first_sent or run.sent[cid]
        run.expected += k - 1
        await ws.send(frame)


async def exercise(
    base_url: str, origin: str, rooms: list[Room], seconds: float, rate: float
) -> tuple[Run, float]:
    """Connects everyone, runs the drive, drains and closes; returns the run and the connect time."""
    run, state = Run(), {"drivers_done": False}
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    sockets: list = []

    async def join(room: Room, key: str):
        async with gate:
            ws = await open_client(base_url + room.path, origin, key, run)
            sockets.append(ws)
            return ws

    started = time.perf_counter()
    # Each room's facilitator connects first: the bare server broadcasts its first client's frames.
    facilitators = await asyncio.gather(*(join(room, room.facilitator) for room in rooms))
    members = await asyncio.gather(*(join(room, key) for room in rooms for key in room.members))
    connect_seconds = time.perf_counter() - started
    listeners = [asyncio.create_task(listen(ws, run, False, state)) for ws in facilitators]
    listeners += [asyncio.create_task(listen(ws, run, True, state)) for ws in members]
    k = len(rooms[0].members) + 1
    try:
        await asyncio.gather(
            *(drive(ws, i, len(rooms), seconds, rate, run, k) for i, ws in enumerate(facilitators))
        )
        state["drivers_done"] = True
        run.check_done(True)
        await drain(run)
    finally:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True),
                STOP_SECONDS,
            )
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
    return run, connect_seconds


async def drain(run: Run) -> None:
    """Waits for the receipts still on their way: until all came, nothing came for a while, or
    the limit; what has not come by then counts as lost."""
    started = time.perf_counter()
    while not run.received_all.is_set():
        now = time.perf_counter()
        idle = now - max(run.last_received, started)
        if idle >= DRAIN_IDLE_SECONDS or now - started >= DRAIN_MAX_SECONDS:
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(run.received_all.wait(), 0.25)
    run.drain_seconds = time.perf_counter() - started


def throughput(run: Run) -> float:
    """Commands delivered per second, from the first command to the last receipt."""
    span = run.last_received - run.first_sent
    return run.received / (run.expected / max(len(run.sent), 1)) / span if span > 0 else 0.0


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile, in milliseconds."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000, 2)


# Processes --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port} within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_SECONDS)


def revans_command() -> list[str]:
    script = Path(sys.executable).with_name("revans")
    return [str(script)] if script.exists() else [sys.executable, "-m", "revans.cli"]


# Data -------------------------------------------------------------------------------------------


def setup_django(data_dir: str, shared: bool = False) -> None:
    """Demo settings on a throwaway SQLite database and the in-memory layer; or, ``shared``,
    on the PostgreSQL and Redis the environment names (what several workers need)."""
    os.environ["REVANS_MODE"] = "demo"
    os.environ["REVANS_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "revans.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    if not shared:  # one process, in-memory layer, SQLite
        for name in ("DATABASE_URL", "REDIS_URL"):
            os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_rooms(count: int, clients: int) -> list[Room]:
    """N sets of one facilitator and K-1 members, a meeting under way in each, and a signed-in
    session for everyone."""
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from revans.accounts.models import User
    from revans.meetings.models import Meeting, MeetingFormat
    from revans.sets.models import Membership, Role, Set

    now = timezone.now()
    one_hour = MeetingFormat.objects.shipped().get(slug="one_hour")
    with transaction.atomic():
        people = User.objects.bulk_create(
            User(email=f"p{n}@bench.test", display_name=f"Person {n}")
            for n in range(count * clients)
        )
        sets = Set.objects.bulk_create(
            Set(name=f"Bench {n}", place="Room 1", status=Set.Status.ACTIVE) for n in range(count)
        )
        Membership.objects.bulk_create(
            Membership(
                set=set_,
                user=people[n * clients + i],
                role=Role.FACILITATOR if i == 0 else Role.MEMBER,
            )
            for n, set_ in enumerate(sets)
            for i in range(clients)
        )
        meetings = Meeting.objects.bulk_create(
            Meeting(
                set=set_,
                number=1,
                starts_at=now - timedelta(minutes=5),
                time_zone="Europe/London",
                duration_minutes=60,
                place="Room 1",
                format=one_hour,
            )
            for set_ in sets
        )
        store = SessionStore()
        keys = [get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789") for _ in people]
        Session.objects.bulk_create(
            Session(
                session_key=key,
                session_data=store.encode(
                    {
                        SESSION_KEY: str(person.pk),
                        BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                        HASH_SESSION_KEY: person.get_session_auth_hash(),
                    }
                ),
                expire_date=now + timedelta(days=1),
            )
            for key, person in zip(keys, people, strict=True)
        )
    connection.close()
    return [
        Room(
            path=f"/ws/meetings/{meeting.pk}/room/",
            facilitator=keys[n * clients],
            members=keys[n * clients + 1 : (n + 1) * clients],
        )
        for n, meeting in enumerate(meetings)
    ]


# Main -------------------------------------------------------------------------------------------


def measure_revans(rooms: list[Room], seconds: float, rate: float, data_dir: str, workers: int):
    port = free_port()
    log = open(Path(data_dir) / "server.log", "wb")  # noqa: SIM115 (closed below)
    env = {**os.environ, "PORT": str(port)}
    server = subprocess.Popen(
        [
            *revans_command(),
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, server)
        return asyncio.run(
            exercise(f"ws://{HOST}:{port}", f"http://{HOST}:{port}", rooms, seconds, rate)
        )
    except BaseException:
        log.flush()
        tail = (Path(data_dir) / "server.log").read_text(errors="replace")[-3000:]
        print(f"--- server log (end) ---\n{tail}", file=sys.stderr)
        raise
    finally:
        stop(server)
        log.close()


def measure_baseline(rooms: list[Room], seconds: float, rate: float):
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve-baseline"],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        port = int(server.stdout.readline())
        return asyncio.run(
            exercise(f"ws://{HOST}:{port}", f"http://{HOST}:{port}", rooms, seconds, rate)
        )
    finally:
        stop(server)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--clients", type=int, default=8, help="people per room, facilitator too")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=1.0, help="commands per room per second")
    parser.add_argument(
        "--workers",
        type=int,
        help="server processes, on the PostgreSQL of DATABASE_URL and the Redis of REDIS_URL "
        "(without it: one process on SQLite and the in-memory layer)",
    )
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--serve-baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_baseline:
        asyncio.run(serve_baseline())
        return 0
    if args.rooms < 1 or args.clients < 2 or args.seconds <= 0 or args.rate <= 0:
        parser.error("needs at least 1 room, 2 clients, and positive seconds and rate")
    shared = args.workers is not None
    if shared and (
        args.workers < 1
        or not os.environ.get("DATABASE_URL", "").startswith("postgres")
        or not os.environ.get("REDIS_URL")
    ):
        parser.error(
            "--workers needs 1 or more, DATABASE_URL=postgres://… (an empty, throwaway "
            "database) and REDIS_URL"
        )

    with tempfile.TemporaryDirectory(prefix="revans-fanout-") as data_dir:
        setup_django(data_dir, shared)
        rooms = make_rooms(args.rooms, args.clients)
        revans, revans_connect = measure_revans(
            rooms, args.seconds, args.rate, data_dir, args.workers or 1
        )
        baseline, baseline_connect = measure_baseline(rooms, args.seconds, args.rate)

    result = {
        "rooms": args.rooms,
        "clients": args.clients,
        **({"workers": args.workers, "pids": len(revans.pids)} if shared else {}),
        "events": len(revans.sent),
        "lost": revans.expected - revans.received,
        "p50_ms": percentile(revans.latencies, 0.50),
        "p99_ms": percentile(revans.latencies, 0.99),
        "baseline_p50_ms": percentile(baseline.latencies, 0.50),
        "baseline_p99_ms": percentile(baseline.latencies, 0.99),
    }
    if not args.json:
        ratio = (
            f"{result['p99_ms'] / result['baseline_p99_ms']:.1f}×"
            if result["p99_ms"] and result["baseline_p99_ms"]
            else "n/a"
        )
        where = (
            f"{args.workers} worker(s) on PostgreSQL and Redis" if shared else "one process, SQLite"
        )
        print(
            f"{args.rooms} rooms × {args.clients} clients, {args.rate:g} command/room/s for "
            f"{args.seconds:g} s, {where}\n"
            f"revans:   {len(revans.sent)} commands, {revans.received}/{revans.expected} receipts, "
            f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
            f"{len(revans.errors)} error frames, {revans.duplicates} duplicates, "
            f"server pid(s) {sorted(revans.pids)}, connected in {revans_connect:.1f} s, "
            f"drained in {revans.drain_seconds:.1f} s, {throughput(revans):.0f} commands/s "
            f"delivered\n"
            f"baseline: {len(baseline.sent)} messages, "
            f"{baseline.received}/{baseline.expected} receipts, "
            f"p50 {result['baseline_p50_ms']} ms, p99 {result['baseline_p99_ms']} ms, "
            f"connected in {baseline_connect:.1f} s\n"
            f"p99 / baseline p99: {ratio}"
        )
        for error in revans.errors[:3]:
            print(f"error frame: {error}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
