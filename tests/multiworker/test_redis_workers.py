"""Two uvicorn workers on the Redis channel layer: people connected to different workers see the
same room events, with the same sequence numbers (issue 4, "State and events").

The server runs in its own processes, so this test cannot use pytest-django's test database: it
makes a throwaway database of its own (a PostgreSQL database next to DATABASE_URL's when that
names PostgreSQL, else a SQLite file in WAL mode, which two processes share safely), migrates
it with `revans migrate`, fills it from a subprocess and drops it at the end. It skips unless
REDIS_URL is set and answers.
"""

import asyncio
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from websockets.asyncio.client import connect

pytestmark = pytest.mark.multiworker

HOST = "127.0.0.1"
WORKERS = 2
MAX_CONNECTIONS = 48  # keep opening sockets until both workers hold some, up to this many
EVENT_TIMEOUT = 5.0  # seconds for every client to see an event
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()

# Run in a subprocess against the throwaway database: a set of a facilitator and three members,
# a meeting under way, a signed-in session for each person; prints the meeting and session keys.
FILL = """
import json
from datetime import timedelta

import django

django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from revans.accounts.models import User
from revans.meetings.models import Meeting, MeetingFormat
from revans.sets.models import Membership, Role, Set

set_ = Set.objects.create(name="Two workers", place="Room 1", status=Set.Status.ACTIVE)
keys = []
for n in range(4):
    person = User.objects.create_user(email=f"mw{n}@example.org", display_name=f"Person {n}")
    role = Role.FACILITATOR if n == 0 else Role.MEMBER
    Membership.objects.create(set=set_, user=person, role=role)
    session = SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
meeting = Meeting.objects.create(
    set=set_, number=1, starts_at=timezone.now() - timedelta(minutes=5),
    time_zone="Europe/London", duration_minutes=60, place="Room 1",
    format=MeetingFormat.objects.shipped().get(slug="one_hour"),
)
print(json.dumps({"meeting": meeting.pk, "sessions": keys}))
"""


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except (redis.RedisError, OSError, ValueError):
        return False


def revans() -> list[str]:
    script = Path(sys.executable).with_name("revans")
    return [str(script)] if script.exists() else [sys.executable, "-m", "revans.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@pytest.fixture
def database_url(tmp_path):
    """A throwaway database URL ("" for a SQLite file under REVANS_DATA_DIR), dropped after."""
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set: two workers need the Redis channel layer")
    if not redis_answers(REDIS_URL):
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        yield ""  # SQLite in WAL mode: safe for two processes on one machine
        return
    import psycopg

    name = f"revans_mw_{secrets.token_hex(6)}"
    parts = urlsplit(DATABASE_URL)
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server_env(database_url, tmp_path) -> dict:
    env = {
        **os.environ,
        "REVANS_MODE": "demo",
        "REVANS_DATA_DIR": str(tmp_path),
        "REDIS_URL": REDIS_URL,
        "REVANS_REDIS_PREFIX": f"revans-mw-{secrets.token_hex(4)}",  # groups of this test only
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "revans.settings",
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    subprocess.run([*revans(), "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=120)
    return env


@pytest.fixture
def server(server_env, tmp_path):
    """`revans serve --workers 2`; yields its port, stops it (and its workers) after."""
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [*revans(), "serve", "--host", HOST, "--port", str(port), "--workers", str(WORKERS)],
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers go with it
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"revans serve exited ({process.returncode}):\n{log.read_text()}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"revans serve did not listen within 30 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


class Client:
    """One WebSocket to the room, its hello answered, every later frame queued."""

    def __init__(self, person: int, ws, snapshot: dict):
        self.person, self.ws, self.pid = person, ws, snapshot["pid"]
        self.frames: asyncio.Queue = asyncio.Queue()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for raw in self.ws:
                await self.frames.put(json.loads(raw))

    async def event(self, client_id: str, timeout: float) -> dict:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            frame = await asyncio.wait_for(self.frames.get(), max(left, 0.001))
            if frame.get("type") == "error" and frame.get("id") == client_id:
                raise AssertionError(f"the server refused the command: {frame}")
            if frame.get("type") == "event" and frame.get("id") == client_id:
                return frame


async def join(port: int, meeting: int, person: int, session: str) -> Client:
    ws = await connect(
        f"ws://{HOST}:{port}/ws/meetings/{meeting}/room/",
        origin=f"http://{HOST}:{port}",
        additional_headers={"Cookie": f"sessionid={session}"},
        proxy=None,
        open_timeout=20,
        close_timeout=2,
    )
    await ws.send(json.dumps({"type": "hello", "last_seq": None}))
    snapshot = json.loads(await asyncio.wait_for(ws.recv(), 20))
    assert snapshot["type"] == "snapshot", snapshot
    return Client(person, ws, snapshot)


async def clients_on_both_workers(port: int, meeting: int, sessions: list[str]) -> list[Client]:
    """Opens sockets for everyone, a few at a time, until both workers hold some and the
    facilitator (person 0) has a socket on each (so each worker sends a command)."""
    clients: list[Client] = []
    while len(clients) < MAX_CONNECTIONS:
        batch = [
            (n % len(sessions), sessions[n % len(sessions)])
            for n in range(len(clients), len(clients) + 4)
        ]
        clients += await asyncio.gather(*(join(port, meeting, p, s) for p, s in batch))
        facilitator_pids = {c.pid for c in clients if c.person == 0}
        if len(facilitator_pids) >= WORKERS:
            break
    return clients


async def exercise(port: int, meeting: int, sessions: list[str]) -> None:
    clients = await clients_on_both_workers(port, meeting, sessions)
    try:
        pids = {c.pid for c in clients}
        assert len(pids) == WORKERS, (
            f"{len(clients)} sockets all went to worker(s) {sorted(pids)}: "
            "uvicorn did not spread them, so nothing crossed Redis"
        )
        # One command from the facilitator on each worker (or one, if they all landed on one).
        senders = {c.pid: c for c in clients if c.person == 0}
        seqs = []
        for pid, sender in sorted(senders.items()):
            client_id = f"mw-{pid}-{secrets.token_hex(4)}"
            await sender.ws.send(
                json.dumps(
                    {
                        "type": "command",
                        "id": client_id,
                        "name": "timer_add",
                        "args": {"minutes": 1},
                    }
                )
            )
            events = await asyncio.gather(*(c.event(client_id, EVENT_TIMEOUT) for c in clients))
            seen = {(e["seq"], e["kind"], e["actor"]) for e in events}
            assert len(seen) == 1, f"clients saw different events for {client_id}: {seen}"
            seqs.append(events[0]["seq"])
            states = {json.dumps(e["state"], sort_keys=True) for e in events}
            assert len(states) == 1, "clients on different workers saw different states"
        assert seqs == sorted(set(seqs)), f"sequence numbers went {seqs}"
    finally:
        await asyncio.gather(*(c.ws.close() for c in clients), return_exceptions=True)
        for c in clients:
            c.reader.cancel()
        await asyncio.gather(*(c.reader for c in clients), return_exceptions=True)


def fill(server_env: dict) -> dict:
    """Runs FILL against the server's database: {"meeting": id, "sessions": [keys]}."""
    filled = subprocess.run(
        [sys.executable, "-c", FILL],
        env=server_env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(filled.stdout.strip().splitlines()[-1])


def test_clients_on_two_workers_see_the_same_events(server, server_env):
    data = fill(server_env)
    asyncio.run(asyncio.wait_for(exercise(server, data["meeting"], data["sessions"]), 60))


IDLE_SECONDS = 30


async def idle_then_event(port: int, meeting: int, sessions: list[str]) -> None:
    """A socket left idle past the channel layer's blocking read (5 s) and the Redis client's
    socket timeout stays up: after IDLE_SECONDS it still receives the next event."""
    listener = await join(port, meeting, 1, sessions[1])
    chair = await join(port, meeting, 0, sessions[0])
    try:
        await asyncio.sleep(IDLE_SECONDS)
        assert listener.ws.close_code is None, f"the idle socket closed ({listener.ws.close_code})"
        client_id = f"idle-{secrets.token_hex(4)}"
        await chair.ws.send(
            json.dumps(
                {"type": "command", "id": client_id, "name": "timer_add", "args": {"minutes": 1}}
            )
        )
        event = await listener.event(client_id, EVENT_TIMEOUT)
        assert event["kind"] == "timer_add"
    finally:
        for client in (listener, chair):
            await client.ws.close()
            client.reader.cancel()


def test_an_idle_room_socket_stays_up_and_receives_the_next_event(server, server_env):
    data = fill(server_env)
    asyncio.run(asyncio.wait_for(idle_then_event(server, data["meeting"], data["sessions"]), 90))


# --- PostgreSQL connections under load ------------------------------------------------------


def test_concurrent_requests_on_two_workers_stay_within_the_pool():
    """200 dashboard requests at once through two workers with a pool of 5 each: all answered,
    and never more than 10 connections open (bench/pg_connections.py does the counting, in a
    throwaway database of its own)."""
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        pytest.skip("the connection pool is PostgreSQL's: DATABASE_URL does not name it")
    bench = Path(__file__).resolve().parents[2] / "bench" / "pg_connections.py"
    command = [sys.executable, str(bench), "--requests", "200", "--workers", "2", "--pool", "5"]
    result = subprocess.run(
        [*command, "--pool-only"], check=True, capture_output=True, text=True, timeout=300
    )
    pooled = json.loads(result.stdout.strip().splitlines()[-1])
    assert pooled["ok"] == 200 and pooled["errors"] == 0, pooled
    assert pooled["peak_connections"] <= 2 * 5, pooled
    assert pooled["connections_after"] <= 2 * 5, pooled
