"""`revans serve` as it runs in production: the real uvicorn, in a process of its own."""

import asyncio
import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from revans.site.management.commands.serve import WS_MAX_SIZE

HOST = "127.0.0.1"
# A facilitator with a meeting and a signed-in session; prints the meeting id and session key.
FILL = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)  # nothing to do on a copied database
from datetime import timedelta
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from revans.accounts.models import User
from revans.meetings.formats import load_shipped_formats
from revans.meetings.models import Meeting, MeetingFormat
from revans.sets.models import Membership, Role, Set
load_shipped_formats(MeetingFormat)  # a flushed test database has lost them
person = User.objects.create_user(email="chair@example.org", display_name="Chair")
set_ = Set.objects.create(name="Frames", place="Room 1")
Membership.objects.create(set=set_, user=person, role=Role.FACILITATOR)
meeting = Meeting.objects.create(set=set_, number=1, starts_at=timezone.now(),
    time_zone="Europe/London", duration_minutes=60,
    format=MeetingFormat.objects.shipped().get(slug="one_hour"))
session = SessionStore()
session[SESSION_KEY] = str(person.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = person.get_session_auth_hash()
session.create()
print(meeting.pk, session.session_key)
"""


@pytest.fixture
def served(tmp_path, django_db_setup, django_db_blocker):
    """A migrated throwaway instance served by `revans serve`: (port, meeting id, session).
    On SQLite it starts from a copy of the (empty, migrated) test database rather than
    migrating afresh, which took most of this test's time."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    env = {**os.environ, "REVANS_MODE": "demo", "REVANS_DATA_DIR": str(tmp_path)}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    revans = str(Path(sys.executable).with_name("revans"))
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(tmp_path / "revans.sqlite3") as copy:
                connection.connection.backup(copy)
    filled = subprocess.run(
        [sys.executable, "-c", FILL], env=env, check=True, capture_output=True, text=True
    )
    meeting, session = filled.stdout.split()[-2:]
    process = subprocess.Popen(
        [revans, "serve", "--host", HOST, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
                break
            assert process.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        yield port, meeting, session
    finally:
        process.terminate()
        process.wait(10)


def test_room_frames_too_large_are_refused_and_past_the_limit_close_the_socket(served):
    port, meeting, session = served

    async def talk():
        async with connect(
            f"ws://{HOST}:{port}/ws/meetings/{meeting}/room/",
            origin=f"http://{HOST}:{port}",
            additional_headers={"Cookie": f"sessionid={session}"},
            proxy=None,
        ) as ws:
            await ws.send(json.dumps({"type": "hello", "last_seq": None}))
            snapshot = json.loads(await asyncio.wait_for(ws.recv(), 20))
            # Over the room's 8 kB: answered with a message, the socket stays up.
            await ws.send(json.dumps({"type": "hello", "pad": "x" * 9000}))
            replies = []  # presence messages may come first: read until the answer
            while not any(r["type"] == "error" for r in replies) and len(replies) < 10:
                replies.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
            # Past the server's frame limit: closed (1009) before the frame is read whole.
            await ws.send(json.dumps({"type": "hello", "pad": "x" * WS_MAX_SIZE}))
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(ws.recv(), 10)
            return snapshot, replies, closed.value.rcvd

    snapshot, replies, close = asyncio.run(talk())
    assert snapshot["type"] == "snapshot"
    assert any(r["type"] == "error" and "too large" in r["message"] for r in replies), replies
    assert close is not None and close.code == 1009


def test_the_sweep_closes_meetings_left_open_and_only_those(world):
    """Without a worker, `revans serve` sweeps: meetings left open past their end and the grace
    period close, with their summaries; a meeting still within it stays open."""
    from datetime import timedelta

    from django.utils import timezone

    from revans.meetings.models import Meeting
    from revans.meetings.testing import make_meeting
    from revans.site.server import sweep

    late, recent = make_meeting(world.aurora), make_meeting(world.aurora, number=3)
    Meeting.objects.filter(pk=late.pk).update(starts_at=timezone.now() - timedelta(hours=4))
    Meeting.objects.filter(pk=recent.pk).update(starts_at=timezone.now() - timedelta(minutes=90))
    sweep()
    late.refresh_from_db()
    assert late.status == "closed" and late.summary is not None
    assert Meeting.objects.get(pk=recent.pk).status == "scheduled"


def test_serve_sweeps_from_a_thread_only_when_no_worker_runs_the_tasks(monkeypatch, settings):
    import threading

    from revans.site import server

    swept = threading.Event()
    monkeypatch.setattr(server, "sweep", swept.set)
    stop = server.start_sweeping(every=0.01)
    try:
        assert stop is not None and swept.wait(5)
    finally:
        stop.set()

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert server.start_sweeping() is None  # `revans worker` sweeps instead


def test_a_server_process_freezes_what_it_loaded_and_collects_in_full_rarely(monkeypatch):
    import gc

    from revans.site import server

    started = []
    monkeypatch.setattr(server, "start_sweeping", lambda: started.append(True))
    before = gc.get_threshold()
    try:
        server.start()
        assert gc.get_threshold() == server.GC_THRESHOLDS and gc.get_freeze_count() > 0
        assert started == [True]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_serve_marks_its_processes_and_only_those_start_the_server_work(monkeypatch):
    from revans.site import server
    from revans.site.management.commands import serve

    monkeypatch.delenv(server.SERVING, raising=False)
    ran = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda *args, **kwargs: ran.append(kwargs))
    serve.serve("127.0.0.1", 8000, workers=2)
    assert os.environ[server.SERVING] == "1" and ran[0]["workers"] == 2
