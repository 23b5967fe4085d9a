"""Faults under load: live meetings and people reading pages while a worker, Redis or
PostgreSQL fails.

    .venv/bin/python bench/faults.py [--scenario steady|kill-worker|restart-redis|stop-postgres|all]
        [--rooms 100] [--clients 8] [--browsers 10] [--seconds 300] [--rate 0.5]

Everything runs on 127.0.0.1 and belongs to the run: a PostgreSQL cluster of its own (initdb into
a temporary folder, a free port, fsync off), a `redis-server` of its own on a free port, and two
Revans workers (`revans serve --workers 1` each, production settings, on ports of their own)
behind a small round-robin TCP proxy in this script standing in for nginx (a backend that does
not answer is skipped). The machine's own PostgreSQL and Redis are never touched.

R sets of one facilitator and K-1 members each hold a meeting under way; every person joins its
room through the proxy over a WebSocket with their session cookie and says `hello`, as the room's
page does (room.js): an event past the next expected sequence number, or a reconnect, sends
`hello` with the last number seen, and commands not yet answered are sent again with the same id
after a reconnect. Each room's driver runs its meeting with the room's own commands, one at a
time (at `--rate` commands per room per second): check-in, bidding, ordering the presenter, the
questions stage with the chair capturing and members asking, the presenter's action, the process
review's notes, then back to the questions stage. `--browsers` people read pages (dashboard, set,
meeting) over HTTP with a second's pause between them.

Scenarios (`all` runs each in turn on the same servers, each with fresh clients):
  steady          the load alone;
  kill-worker     one worker is killed (SIGKILL) a third of the way in and started again 10 s later;
  restart-redis   Redis is stopped and started again, empty, a third of the way in;
  stop-postgres   PostgreSQL is stopped (`pg_ctl stop -m fast`) a third of the way in, and started
                  again `--down` seconds later (10 by default).

Figures, per scenario: HTTP answers by status (a 503 while the database is away is the friendly
page; any 500 is an error), command errors, socket closes and reconnects, lost room events (an
event of the meeting in the database that a client never received, live or by catching up;
events a client skipped by taking a snapshot are counted apart), p50/p99 of pages and of events
(a command sent → its event received by each other person in the room: `receipt`, and by all of
them: `all`), the recovery (from the fault, the time until every room has had a command's
event reach all its people after the failed part was back) and the database's consistency
afterwards (each meeting's events kept, the last 500, numbered without a gap up to the room's
sequence, from 1 while none has gone; one question, action or review note per event that made
one). One JSON line per scenario closes the output.
"""

import argparse
import asyncio
import contextlib
import glob
import itertools
import json
import math
import os
import pwd
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

HOST = "127.0.0.1"
FAULT_AT = 1 / 3  # of the scenario's duration
KILLED_SECONDS = 10.0  # a killed worker is started again after this long
COMMAND_TIMEOUT = 60.0  # a command not answered by then counts as an error (it is never dropped)
DRAIN_SECONDS = 15.0  # after the drivers stop: time for the last events and catch-ups to arrive
SETTLE_SECONDS = 5.0  # errors this long after the failed part is back count as not recovered
QUESTIONS_PER_ROUND = 6
NOTES_PER_ROUND = 3
ROOT = Path(__file__).resolve().parents[1]


# --- processes --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[:2]} exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port} within {timeout:.0f} s")


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise SystemExit(f"{name} not found: install PostgreSQL's server binaries")
    return candidates[-1]


def revans_command() -> list[str]:
    script = Path(sys.executable).with_name("revans")
    return [str(script)] if script.exists() else [sys.executable, "-m", "revans.cli"]


class Postgres:
    """A cluster of the run's own in a folder of its own, answering on ``port`` (trust, user
    postgres). PostgreSQL refuses to run as root: then the cluster belongs to the postgres user."""

    def __init__(self):
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="revans-faults-pg-")), free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.data, self.log = self.folder / "data", self.folder / "pg.log"
        initdb = [pg_tool("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
        subprocess.run(
            [*self.as_owner, *initdb, "-E", "UTF8", "--no-sync", "--no-instructions"],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -h {HOST} -k {self.folder} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        pg_ctl = [pg_tool("pg_ctl"), "-D", str(self.data), "-l", str(self.log)]
        subprocess.run(
            [*self.as_owner, *pg_ctl, "-o", options, "-w", "start"], check=True, capture_output=True
        )

    def stop(self) -> None:
        pg_ctl = [pg_tool("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
        subprocess.run([*self.as_owner, *pg_ctl], check=False, capture_output=True)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def client(self, tool: str) -> list[str]:
        return [pg_tool(tool), "-h", HOST, "-p", str(self.port), "-U", "postgres"]

    def url(self, database: str = "revans") -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"


class Redis:
    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port, self.process)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class Worker:
    """One `revans serve` process (one uvicorn worker) on a port of its own."""

    def __init__(self, env: dict, folder: Path, n: int):
        self.env, self.port, self.process = env, free_port(), None
        self.log = folder / f"worker{n}.log"

    def start(self) -> None:
        one = ["--workers", "1"]
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [*revans_command(), "serve", "--host", HOST, "--port", str(self.port), *one],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for_port(self.port, self.process)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(15)


def server_env(folder: Path, database_url: str, redis_port: int, proxy_port: int) -> dict:
    env = {
        **os.environ,
        "REVANS_MODE": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "REVANS_SITE_URL": f"http://{HOST}:{proxy_port}",
        "REVANS_HTTPS": "false",  # the proxy here speaks plain HTTP; nginx would end TLS
        "REVANS_DATA_DIR": str(folder / "data"),
        "STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "revans.settings",
    }
    env.pop("REVANS_REDIS_PREFIX", None)
    return env


# --- the proxy (nginx's part): round robin over the backends that answer ----------------------


async def serve_proxy(port: int, backends: list[int]) -> None:
    turn = itertools.count()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = next(turn)
        for n in range(len(backends)):
            backend = backends[(first + n) % len(backends)]
            try:
                up_reader, up_writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, backend), 2
                )
            except (OSError, TimeoutError):
                continue  # a dead backend: the next one
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
            return
        writer.close()  # nobody answers: the client sees the connection close

    stop = asyncio.get_running_loop().create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set_result, None)
    server = await asyncio.start_server(handle, HOST, port, backlog=1024)
    async with server:
        await stop


# --- the data ---------------------------------------------------------------------------------

FILL = """
import json, sys
from datetime import timedelta

import django

django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from revans.accounts.models import User
from revans.meetings.models import Meeting, MeetingFormat
from revans.sets.models import Membership, Role, Set

count, size = int(sys.argv[1]), int(sys.argv[2])
now = timezone.now()
one_hour = MeetingFormat.objects.shipped().get(slug="one_hour")
with transaction.atomic():
    people = User.objects.bulk_create(
        User(email=f"p{n}@faults.test", display_name=f"Person {n}") for n in range(count * size)
    )
    sets = Set.objects.bulk_create(
        Set(name=f"Faults {n}", place="Room 1", status=Set.Status.ACTIVE) for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(set=s, user=people[n * size + i],
                   role=Role.FACILITATOR if i == 0 else Role.MEMBER)
        for n, s in enumerate(sets) for i in range(size)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(set=s, number=1, starts_at=now - timedelta(minutes=5), time_zone="Europe/London",
                duration_minutes=600, place="Room 1", format=one_hour)
        for s in sets
    )
    store = SessionStore()
    keys = [get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789") for _ in people]
    Session.objects.bulk_create(
        Session(session_key=key, expire_date=now + timedelta(days=1),
                session_data=store.encode({
                    SESSION_KEY: str(p.pk),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: p.get_session_auth_hash(),
                }))
        for key, p in zip(keys, people, strict=True)
    )
print(json.dumps([
    {"set": s.pk, "meeting": m.pk,
     "people": [[people[n * size + i].pk, keys[n * size + i]] for i in range(size)]}
    for n, (s, m) in enumerate(zip(sets, meetings, strict=True))
]))
"""


# --- measuring --------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000, 1)


@dataclass
class Run:
    started: float = field(default_factory=time.monotonic)
    fault_at: float | None = None  # when the fault began (monotonic)
    fault_over: float | None = None  # when the failed part was back
    sent: dict[str, tuple[float, int]] = field(default_factory=dict)  # id → (time, room size - 1)
    receipts: dict[str, list[float]] = field(default_factory=dict)
    all_received: list[float] = field(default_factory=list)
    complete_at: dict[int, list[float]] = field(default_factory=dict)  # room → times complete
    pages: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[float, str]] = field(default_factory=list)
    command_errors: int = 0
    commands_ok: int = 0
    closes: int = 0
    reconnects: int = 0
    failed_connects: int = 0
    snapshots_after_reconnect: int = 0

    def error(self, text: str) -> None:
        self.errors.append((time.monotonic(), text))


class Person:
    """One person's socket to their room, as room.js keeps it: reconnects with a backoff,
    catches up with ``hello`` from the last sequence number it holds, re-sends what is pending."""

    def __init__(self, room: "Room", user_id: int, session: str, run: Run, url: str, origin: str):
        self.room, self.user_id, self.session, self.run = room, user_id, session, run
        self.url, self.origin = url, origin
        self.ws = None
        self.last_seq: int | None = None
        self.base: int | None = None  # the sequence of the first snapshot
        self.seen: set[int] = set()
        self.skipped: set[int] = set()  # covered by a later snapshot instead of events
        self.early: list[dict] = []
        self.state: dict = {}
        self.pending: dict[str, str] = {}  # id → frame
        self.answers: dict[str, asyncio.Future] = {}
        self.last_hello = 0.0

    async def keep_connected(self, stop: asyncio.Event) -> None:
        retry, first = 0, True
        while not stop.is_set():
            try:
                ws = await connect(
                    self.url,
                    origin=self.origin,
                    additional_headers={"Cookie": f"sessionid={self.session}"},
                    proxy=None,
                    open_timeout=20,
                    close_timeout=2,
                    max_queue=None,
                )
            except Exception as error:  # refused, reset, a 5xx handshake: try again later
                self.run.failed_connects += 1
                if self.run.fault_at is None:
                    self.run.error(f"connect failed: {type(error).__name__}: {error}"[:200])
                await self._pause(stop, retry)
                retry += 1
                continue
            if not first:
                self.run.reconnects += 1
            first, retry, self.ws = False, 0, ws
            try:
                await self._hello()
                for frame in list(self.pending.values()):
                    await ws.send(frame)
                async for raw in ws:
                    self._receive(json.loads(raw))
            except ConnectionClosed:
                pass
            finally:
                self.ws = None
            if stop.is_set():
                return
            self.run.closes += 1
            if self.run.fault_at is None:
                self.run.error(f"socket closed: {ws.close_code} {ws.close_reason}")
            if ws.close_code in (4401, 4404):
                self.run.error(f"refused: {ws.close_code}")
                return
            await self._pause(stop, retry)
            retry += 1

    async def _pause(self, stop: asyncio.Event, retry: int) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), min(10.0, 0.5 * 2**retry))

    async def _hello(self) -> None:
        self.last_hello = time.monotonic()
        if self.ws is not None:
            with contextlib.suppress(ConnectionClosed):
                await self.ws.send(json.dumps({"type": "hello", "last_seq": self.last_seq}))

    def _receive(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "error":
            answer = self.answers.get(message.get("id") or "")
            if answer is not None and not answer.done():
                answer.set_result(message)
            else:
                self.run.error(f"error frame: {message.get('message')}")
            return
        if kind == "snapshot":
            seq = message["seq"]
            if self.base is None:
                self.base = seq
            elif self.last_seq is not None and seq > self.last_seq:
                self.run.snapshots_after_reconnect += 1
                self.skipped.update(range(self.last_seq + 1, seq + 1))
            self._apply(message)
            early, self.early = self.early, []
            for event in sorted(early, key=lambda e: e["seq"]):
                self._event(event)
            return
        if kind != "event":
            return
        self._answered(message)
        if self.last_seq is None:
            self.early.append(message)
            return
        self._event(message)

    def _event(self, message: dict) -> None:
        seq = message["seq"]
        if seq not in self.seen:
            self.seen.add(seq)
            self._timed(message)
        if seq <= self.last_seq:
            return
        if seq > self.last_seq + 1:
            if time.monotonic() - self.last_hello > 0.5:  # missed some: catch up
                asyncio.get_running_loop().create_task(self._hello())
            return
        self._apply(message)

    def _apply(self, message: dict) -> None:
        self.last_seq = message["seq"]
        if message["type"] == "snapshot":
            self.state = dict(message["state"])
        else:
            self.state.update(message["state"])

    def _timed(self, message: dict) -> None:
        cid = message.get("id") or ""
        sent = self.run.sent.get(cid)
        if sent is None or message.get("actor") == self.user_id:
            return
        now = time.monotonic()
        got = self.run.receipts.setdefault(cid, [])
        got.append(now - sent[0])
        if len(got) == sent[1]:
            self.run.all_received.append(now - sent[0])
            self.run.complete_at.setdefault(self.room.index, []).append(now)

    def _answered(self, message: dict) -> None:
        answer = self.answers.get(message.get("id") or "")
        if answer is not None and not answer.done():
            answer.set_result(message)

    async def command(self, name: str, args: dict) -> bool:
        cid = f"f{self.room.index}-{secrets.token_hex(5)}"
        frame = json.dumps({"type": "command", "id": cid, "name": name, "args": args})
        answer = asyncio.get_running_loop().create_future()
        self.answers[cid], self.pending[cid] = answer, frame
        self.run.sent[cid] = (time.monotonic(), len(self.room.people) - 1)
        if self.ws is not None:
            with contextlib.suppress(ConnectionClosed):
                await self.ws.send(frame)
        try:
            result = await asyncio.wait_for(answer, COMMAND_TIMEOUT)
        except TimeoutError:
            self.run.command_errors += 1
            self.run.error(f"{name}: no answer in {COMMAND_TIMEOUT:.0f} s")
            return False
        finally:
            self.pending.pop(cid, None)
            self.answers.pop(cid, None)
        if result.get("type") == "error":
            self.run.command_errors += 1
            self.run.error(f"{name} refused: {result.get('message')}")
            return False
        self.run.commands_ok += 1
        return True


class Room:
    def __init__(self, index: int, data: dict, run: Run, base: str, origin: str):
        self.index, self.set_id, self.meeting = index, data["set"], data["meeting"]
        url = f"{base}/ws/meetings/{self.meeting}/room/"
        self.people = [Person(self, uid, key, run, url, origin) for uid, key in data["people"]]
        self.chair = self.people[0]
        self.presenter = self.people[1]
        self.checked_in: set[int] = set()
        self.questions = self.notes = 0
        self.action_done = False

    def plan(self) -> tuple[Person, str, dict] | None:
        """The next command of the meeting, from what the chair's screen shows."""
        stage = self.chair.state.get("stage")
        if not stage or self.chair.ws is None:
            return None
        chair, members = self.chair, self.people[1:]
        phase, step = stage["phase"], stage.get("step")
        if phase == "check_in":
            waiting = [p for p in members if p.user_id not in self.checked_in]
            if waiting:
                return waiting[0], "check_in", {}
            return chair, "advance", {}
        if phase == "bidding":
            if not self.chair.state.get("bids"):
                return self.presenter, "bid", {"headline": "Making the new rota stick"}
            if not self.chair.state.get("presenters"):
                return chair, "order_bids", {"presenters": [self.presenter.user_id]}
            return chair, "advance", {}
        if phase == "airtime" and step == "questions":
            if not self.chair.state.get("capture_questions"):
                return chair, "capture", {"on": True}
            if self.questions < QUESTIONS_PER_ROUND:
                asker = members[1 + self.questions % (len(members) - 1)]
                text = f"What would change for you if the rota worked ({self.questions})?"
                return asker, "question", {"text": text}
            return chair, "advance", {}
        if phase == "airtime" and step == "actions":
            if not self.action_done:
                return self.presenter, "add_action", {"text": "Talk to the ward managers"}
            return chair, "advance", {}
        if phase == "airtime" and step == "reflection":
            if random.random() < 0.3:
                return chair, "timer_add", {"minutes": 1}
            return chair, "advance", {}
        if phase == "process_review":
            if self.notes < NOTES_PER_ROUND:
                return members[self.notes % len(members)], "review_note", {"text": "Good pace"}
            key = f"airtime:{self.presenter.user_id}:questions"
            return chair, "go_to", {"stage": key}
        if phase == "summary":
            return None  # never reached: the review goes back to the questions
        return chair, "advance", {}  # report-back, the presenter's present and reflection steps

    async def drive(self, stop: asyncio.Event, rate: float) -> None:
        await asyncio.sleep(random.random() / rate)
        while not stop.is_set():
            planned = self.plan()
            if planned is None:
                await asyncio.sleep(0.5)
                continue
            person, name, args = planned
            ok = await person.command(name, args)
            if ok:
                if name == "check_in":
                    self.checked_in.add(person.user_id)
                elif name == "question":
                    self.questions += 1
                elif name == "add_action":
                    self.action_done = True
                elif name == "review_note":
                    self.notes += 1
                elif name == "go_to":
                    self.questions = self.notes = 0
                    self.action_done = False
            await asyncio.sleep(random.uniform(0.5, 1.5) / rate)


async def get(port: int, path: str, session: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nCookie: sessionid={session}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head = raw.split(b"\r\n", 1)[0].split()
    if len(head) < 2:
        raise ConnectionError("no HTTP answer")
    return int(head[1]), raw


async def browse(rooms: list[Room], port: int, run: Run, stop: asyncio.Event) -> None:
    while not stop.is_set():
        room = random.choice(rooms)
        person = random.choice(room.people)
        path = random.choice(["/dashboard/", f"/sets/{room.set_id}/", f"/meetings/{room.meeting}/"])
        started = time.monotonic()
        try:
            status, body = await asyncio.wait_for(get(port, path, person.session), 60)
        except (OSError, TimeoutError, ConnectionError) as error:
            run.statuses["no answer"] = run.statuses.get("no answer", 0) + 1
            run.error(f"GET {path}: {type(error).__name__}")
        else:
            run.pages.append(time.monotonic() - started)
            label = str(status)
            if status == 503 and b"cannot reach its database" in body:
                label = "503 (database away)"
            run.statuses[label] = run.statuses.get(label, 0) + 1
            back = run.fault_over is not None and started > run.fault_over + SETTLE_SECONDS
            if status != 200 and (back or not label.startswith("503")):
                run.error(f"GET {path}: {status}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), random.uniform(0.5, 1.5))


# --- a scenario -------------------------------------------------------------------------------


class Servers:
    def __init__(self, folder: Path, rooms: int, clients: int):
        self.folder = folder
        self.pg = Postgres()
        self.pg.start()
        subprocess.run(
            [*self.pg.client("createdb"), "revans"],
            check=True,
        )
        self.redis = Redis(folder)
        self.redis.start()
        self.proxy_port = free_port()
        self.env = server_env(folder, self.pg.url(), self.redis.port, self.proxy_port)
        quiet = {"check": True, "env": self.env, "capture_output": True}
        subprocess.run([*revans_command(), "migrate", "--noinput", "-v", "0"], **quiet)
        subprocess.run([*revans_command(), "collectstatic", "--noinput", "-v", "0"], **quiet)
        started = time.monotonic()
        filled = subprocess.run(
            [sys.executable, "-c", FILL, str(rooms), str(clients)],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        self.data = json.loads(filled.stdout.strip().splitlines()[-1])
        print(f"{rooms} sets × {clients} people made in {time.monotonic() - started:.1f} s")
        self.workers = [Worker(self.env, folder, n) for n in range(2)]
        for worker in self.workers:
            worker.start()
        backends = [str(w.port) for w in self.workers]
        self.proxy = subprocess.Popen(
            [sys.executable, __file__, "--proxy", str(self.proxy_port), *backends],
            start_new_session=True,
        )
        wait_for_port(self.proxy_port, self.proxy)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.proxy.terminate()
            self.proxy.wait(10)
        for worker in self.workers:
            with contextlib.suppress(Exception):
                worker.kill(signal.SIGTERM)
        self.redis.stop()
        self.pg.remove()

    def psql(self, sql: str) -> list[list[str]]:
        out = subprocess.run(
            [*self.pg.client("psql"), "-d", "revans", "-AtF", "\t", "-c", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return [line.split("\t") for line in out.splitlines() if line]


async def inject(servers: Servers, scenario: str, run: Run, delay: float, down: float) -> None:
    await asyncio.sleep(delay)
    run.fault_at = time.monotonic()
    loop = asyncio.get_running_loop()
    if scenario == "kill-worker":
        victim = servers.workers[0]
        print(f"  t={delay:.0f} s: worker on port {victim.port} killed (SIGKILL)")
        await loop.run_in_executor(None, victim.kill)
        run.fault_over = time.monotonic()
        await asyncio.sleep(KILLED_SECONDS)
        await loop.run_in_executor(None, victim.start)
        print(f"  worker on port {victim.port} started again")
    elif scenario == "restart-redis":
        print(f"  t={delay:.0f} s: Redis stopped and started again, empty")
        await loop.run_in_executor(None, servers.redis.stop)
        await loop.run_in_executor(None, servers.redis.start)
        run.fault_over = time.monotonic()
    elif scenario == "stop-postgres":
        print(f"  t={delay:.0f} s: PostgreSQL stopped for {down:.0f} s")
        await loop.run_in_executor(None, servers.pg.stop)
        await asyncio.sleep(down)
        await loop.run_in_executor(None, servers.pg.start)
        run.fault_over = time.monotonic()
        print("  PostgreSQL started again")


async def exercise(servers: Servers, scenario: str, args: argparse.Namespace):
    seconds, rate, browsers = args.seconds, args.rate, args.browsers
    run = Run()
    base, origin = f"ws://{HOST}:{servers.proxy_port}", f"http://{HOST}:{servers.proxy_port}"
    rooms = [Room(n, d, run, base, origin) for n, d in enumerate(servers.data)]
    stop_sockets, stop_load = asyncio.Event(), asyncio.Event()
    sockets = [asyncio.create_task(p.keep_connected(stop_sockets)) for r in rooms for p in r.people]
    deadline = time.monotonic() + 120
    while any(p.last_seq is None for r in rooms for p in r.people):
        if time.monotonic() > deadline:
            raise RuntimeError("not every person joined their room within 120 s")
        await asyncio.sleep(0.2)
    print(
        f"  {sum(len(r.people) for r in rooms)} sockets joined in "
        f"{time.monotonic() - run.started:.1f} s"
    )
    run.started = time.monotonic()
    load = [asyncio.create_task(r.drive(stop_load, rate)) for r in rooms]
    load += [
        asyncio.create_task(browse(rooms, servers.proxy_port, run, stop_load))
        for _ in range(browsers)
    ]
    fault = (
        asyncio.create_task(inject(servers, scenario, run, seconds * FAULT_AT, args.down))
        if scenario != "steady"
        else None
    )
    await asyncio.sleep(seconds)
    stop_load.set()
    await asyncio.gather(*load, return_exceptions=True)
    if fault is not None:
        await fault
    # The last events, and any catch-up: every person says hello once more if behind the room.
    await asyncio.sleep(DRAIN_SECONDS)
    stop_sockets.set()
    for room in rooms:
        for person in room.people:
            if person.ws is not None:
                with contextlib.suppress(Exception):
                    await person.ws.close()
    await asyncio.gather(*sockets, return_exceptions=True)
    return run, rooms


def check(servers: Servers, run: Run, rooms: list[Room]) -> dict:
    """Lost events (against the database's), and the database's own consistency."""
    events: dict[int, set[int]] = {}
    for meeting, seq in servers.psql("SELECT meeting_id, seq FROM meetings_roomevent"):
        events.setdefault(int(meeting), set()).add(int(seq))
    lost = skipped = 0
    for room in rooms:
        stored = events.get(room.meeting, set())
        for person in room.people:
            after = {s for s in stored if s > (person.base or 0)}
            lost += len(after - person.seen - person.skipped)
            skipped += len(after & person.skipped - person.seen)
    # The room keeps its last 500 events (older ones go every 50th event, services.HISTORY): the
    # kept ones must run without a gap up to the room's sequence, from 1 while none has gone.
    gaps = servers.psql(
        """SELECT r.meeting_id FROM meetings_room r
        LEFT JOIN meetings_roomevent e ON e.meeting_id = r.meeting_id
        GROUP BY r.meeting_id, r.seq
        HAVING coalesce(max(e.seq), 0) <> r.seq
            OR count(e.id) <> coalesce(max(e.seq) - min(e.seq) + 1, 0)
            OR (coalesce(min(e.seq), 1) <> 1 AND r.seq <= 500)"""
    )
    # One question, review note and action per event that made one: as many while every event
    # is kept; once older events have gone, at least as many rows as the events kept.
    mismatched = servers.psql(
        """SELECT m.id, (SELECT min(seq) FROM meetings_roomevent e WHERE e.meeting_id = m.id),
          (SELECT count(*) FROM meetings_roomevent e WHERE e.meeting_id = m.id
             AND e.kind = 'question') AS q_events,
          (SELECT count(*) FROM meetings_question q WHERE q.meeting_id = m.id) AS questions,
          (SELECT count(*) FROM meetings_roomevent e WHERE e.meeting_id = m.id
             AND e.kind = 'review_note') AS n_events,
          (SELECT count(*) FROM meetings_reviewnote n WHERE n.meeting_id = m.id) AS notes,
          (SELECT count(*) FROM meetings_roomevent e WHERE e.meeting_id = m.id
             AND e.kind = 'add_action') AS a_events,
          (SELECT count(*) FROM actions_action a WHERE a.committed_in_id = m.id) AS actions
        FROM meetings_meeting m"""
    )
    bad = []
    for meeting, first, *counts in mismatched:
        pairs = [(int(counts[i]), int(counts[i + 1])) for i in (0, 2, 4)]
        whole = first in ("", "1")
        if any(rows != events if whole else rows < events for events, rows in pairs):
            bad.append(meeting)
    return {
        "lost": lost,
        "skipped_by_snapshot": skipped,
        "sequence_gaps": len(gaps),
        "rows_not_matching_events": len(bad),
        "events_in_db": sum(map(len, events.values())),
    }


def recovery(run: Run, rooms: list[Room]) -> tuple[float | None, float | None]:
    """From the fault: seconds until every room (and the median room) had a command's event
    reach all its people after the failed part was back."""
    if run.fault_over is None or run.fault_at is None:
        return None, None
    each = []
    for room in rooms:
        done = [t for t in run.complete_at.get(room.index, []) if t > run.fault_over]
        each.append(min(done) - run.fault_at if done else math.inf)
    each.sort()
    return round(each[-1], 1), round(each[len(each) // 2], 1)


def report(scenario: str, run: Run, rooms: list[Room], checked: dict, args) -> dict:
    receipts = [t for got in run.receipts.values() for t in got]
    fault_errors = unexpected = after_recovery = 0
    for at, _text in run.errors:
        if run.fault_at is not None and at >= run.fault_at:
            fault_errors += 1
            if run.fault_over is not None and at > run.fault_over + SETTLE_SECONDS:
                after_recovery += 1
        else:
            unexpected += 1
    result = {
        "scenario": scenario,
        "rooms": len(rooms),
        "clients": len(rooms[0].people),
        "browsers": args.browsers,
        "seconds": args.seconds,
        "commands": run.commands_ok,
        "command_errors": run.command_errors,
        "pages": len(run.pages),
        "statuses": run.statuses,
        "socket_closes": run.closes,
        "reconnects": run.reconnects,
        "failed_connects": run.failed_connects,
        "errors_before_fault": unexpected,
        "errors_after_fault": fault_errors,
        "errors_after_recovery": after_recovery,
        **checked,
        "page_p50_ms": percentile(run.pages, 0.5),
        "page_p99_ms": percentile(run.pages, 0.99),
        "event_p50_ms": percentile(receipts, 0.5),
        "event_p99_ms": percentile(receipts, 0.99),
        "event_all_p50_ms": percentile(run.all_received, 0.5),
        "event_all_p99_ms": percentile(run.all_received, 0.99),
        "recovery_s": recovery(run, rooms)[0],
        "recovery_median_room_s": recovery(run, rooms)[1],
    }
    seen: dict[str, int] = {}
    for _at, text in run.errors:
        seen[text] = seen.get(text, 0) + 1
    for text, count in sorted(seen.items(), key=lambda kv: -kv[1])[:8]:
        print(f"    {count} × {text}")
    return result


def run_scenario(servers: Servers, scenario: str, args) -> dict:
    print(
        f"== {scenario}: {args.rooms} rooms × {args.clients}, {args.browsers} browsing, "
        f"{args.seconds:g} s at {args.rate:g} command/room/s "
        f"(load {os.getloadavg()[0]:.1f})"
    )
    for worker in servers.workers:
        if worker.process is None or worker.process.poll() is not None:
            worker.start()
    run, rooms = asyncio.run(exercise(servers, scenario, args))
    result = report(scenario, run, rooms, check(servers, run, rooms), args)
    print(json.dumps(result))
    return result


SCENARIOS = ("steady", "kill-worker", "restart-redis", "stop-postgres")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=(*SCENARIOS, "all"), default="steady")
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--clients", type=int, default=8, help="people per room, chair too")
    parser.add_argument("--browsers", type=int, default=10, help="people reading pages")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--rate", type=float, default=0.5, help="commands per room per second")
    parser.add_argument(
        "--down", type=float, default=10, help="seconds PostgreSQL stays stopped (stop-postgres)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    parser.add_argument("--proxy", nargs="+", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.proxy:
        asyncio.run(serve_proxy(args.proxy[0], args.proxy[1:]))
        return 0
    if args.rooms < 1 or args.clients < 3 or args.seconds < 30 or args.rate <= 0:
        parser.error("needs a room, 3 people a room, 30 seconds or more and a positive rate")
    folder = Path(tempfile.mkdtemp(prefix="revans-faults-"))
    servers = None
    try:
        servers = Servers(folder, args.rooms, args.clients)
        scenarios = SCENARIOS if args.scenario == "all" else (args.scenario,)
        results = [run_scenario(servers, s, args) for s in scenarios]
    finally:
        if servers is not None:
            servers.close()
        if args.keep:
            print(f"logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    failed = [
        r["scenario"]
        for r in results
        if r["lost"]
        or r["sequence_gaps"]
        or r["rows_not_matching_events"]
        or r["errors_before_fault"]
        or "500" in r["statuses"]
    ]
    if failed:
        print(f"FAILED: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
