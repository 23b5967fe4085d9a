"""PostgreSQL connections under load: a pool per worker against a connection per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/pg_connections.py [--requests 200] [--workers 2] [--pool 10]

Makes a throwaway database beside DATABASE_URL's, starts `revans serve --workers W` on it twice
(REVANS_DB_POOL_SIZE=0: a connection opened and closed per request, with health checks; then
REVANS_DB_POOL_SIZE=P: Django's psycopg pool) and sends R dashboard requests at once to each
(every request reads the session, the person and their sets). Prints one JSON line per mode:
{"mode", "requests", "ok", "errors", "seconds", "per_second", "peak_connections",
"connections_after"}, where the connections are the server's, counted in pg_stat_activity
every 20 ms. The server's max_connections is printed too: past it, requests fail.
"""

import argparse
import concurrent.futures
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

HOST = "127.0.0.1"
FILL = """
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from revans.accounts.models import User
from revans.sets.models import Membership, Role, Set
person = User.objects.create_user(email="load@example.org", display_name="Load")
for n in range(5):
    Membership.objects.create(set=Set.objects.create(name=f"Set {n}", place="Room"), user=person)
session = SessionStore()
session[SESSION_KEY] = str(person.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = person.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def revans() -> list[str]:
    return [str(Path(sys.executable).with_name("revans"))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def connections(url: str, conn=None) -> int:
    """The database's connections but ``conn`` (one kept open: a watcher that connected anew
    each time would count its own last connection while it exits)."""
    if conn is None:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as fresh:
            return connections(url, fresh)
    return conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        [urlsplit(url).path.lstrip("/")],
    ).fetchone()[0]


def get(port: int, session: str) -> int:
    request = urllib.request.Request(
        f"http://{HOST}:{port}/dashboard/", headers={"Cookie": f"sessionid={session}"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def run(env: dict, url: str, session: str, workers: int, requests: int, pool: int) -> dict:
    port = free_port()
    server = subprocess.Popen(
        [*revans(), "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
        env={**env, "REVANS_DB_POOL_SIZE": str(pool)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
                break
            if time.monotonic() > deadline:
                raise SystemExit("revans serve did not listen within 30 s")
            time.sleep(0.1)
        for _ in range(workers * 2):  # every worker imported and warm
            get(port, session)
        peak, done = [0], threading.Event()

        def watch() -> None:
            with psycopg.connect(url, autocommit=True) as conn:
                while not done.is_set():
                    peak[0] = max(peak[0], connections(url, conn))
                    time.sleep(0.02)

        watcher = threading.Thread(target=watch)
        watcher.start()
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(requests) as executor:
            statuses = list(executor.map(lambda _: get(port, session), range(requests)))
        seconds = time.perf_counter() - started
        done.set()
        watcher.join()
        return {
            "mode": f"pool of {pool} per worker" if pool else "a connection per request",
            "requests": requests,
            "ok": statuses.count(200),
            "errors": requests - statuses.count(200),
            "seconds": round(seconds, 2),
            "per_second": round(requests / seconds, 1),
            "peak_connections": peak[0],
            "connections_after": connections(url),
        }
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool", type=int, default=10)
    parser.add_argument(
        "--pool-only", action="store_true", help="skip the run without a pool (for the tests)"
    )
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (its database is not touched).")
    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    name = f"revans_bench_{secrets.token_hex(4)}"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        limit = conn.execute("SHOW max_connections").fetchone()[0]
    print(json.dumps({"max_connections": int(limit)}))
    try:
        env = {
            **os.environ,
            "REVANS_MODE": "demo",
            "DATABASE_URL": url,
            "REVANS_REDIS_PREFIX": f"bench-{name}",
            "DJANGO_SETTINGS_MODULE": "revans.settings",
        }
        subprocess.run([*revans(), "migrate", "--noinput", "-v", "0"], env=env, check=True)
        session = subprocess.run(
            [sys.executable, "-c", FILL], env=env, check=True, capture_output=True, text=True
        ).stdout.split()[-1]
        for pool in (args.pool,) if args.pool_only else (0, args.pool):
            print(json.dumps(run(env, url, session, args.workers, args.requests, pool)), flush=True)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
