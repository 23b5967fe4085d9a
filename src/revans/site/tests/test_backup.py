"""`revans backup` and `revans restore`: a populated instance round-trips table for table and
file for file; a backup taken while another connection writes is consistent; a damaged,
truncated or foreign file, a backup from a newer Revans and an unwritable destination are each
refused with a clear message, and nothing is changed."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from revans.accounts.models import User
from revans.formation.models import Cohort
from revans.sets.models import Issue, Set
from revans.site.backup import (
    MANIFEST,
    POSTGRES_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    _pg_tool,
    backup,
    restore,
)
from revans.site.demo import load_demo
from revans.site.testing import make_person

# serialized_rollback: a restore replaces the content types and their ids, so the database is
# given back to the next test as the suite made it, not rebuilt around the restored ids.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="runs on SQLite only")
DATABASE = SQLITE_MEMBER if connection.vendor == "sqlite" else POSTGRES_MEMBER


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Uploaded files of the instance: some text, some binary, in nested folders."""
    root = tmp_path / "data" / "media"
    (root / "logs" / "7").mkdir(parents=True)
    (root / "logs" / "7" / "notes.txt").write_text("What I learned about asking.\n")
    (root / "logs" / "7" / "photo of the flipchart.png").write_bytes(bytes(range(256)) * 40)
    (root / "top.pdf").write_bytes(b"%PDF-1.4 " + os.urandom(3000))
    settings.MEDIA_ROOT = root
    return root


def rows() -> dict[str, list[dict]]:
    """Every row of every table Revans has, ordered by primary key."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        tables[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return tables


def files(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def state(root: Path):
    return rows(), files(root)


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of ``archive`` with its manifest passed through ``change``."""
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == MANIFEST:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            new.writestr(info, data)
    return target


def test_a_populated_instance_round_trips_every_table_and_file(media, tmp_path):
    """The demo (its learning logs' images among the uploaded files) and some files more."""
    load_demo()
    before = state(media)
    filled = [table for table, content in before[0].items() if content]
    assert len(filled) > 40, filled
    assert len(before[1]) > 3, "the demo's attachments are among the files"
    assert len(before[0]["accounts.User"]) > 5
    archive = tmp_path / "revans-backup.zip"

    call_command("backup", "-o", str(archive), stdout=io.StringIO())

    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read(MANIFEST))
    assert manifest["format"] == "revans-backup"
    assert manifest["database"] == {"vendor": connection.vendor, "path": DATABASE}
    assert manifest["schema"]["formation"] == "0003_prefer_internal"
    assert manifest["created"]
    assert manifest["revans_version"]
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == {DATABASE} | {f"media/{name}" for name in before[1]}
    assert all(len(f["sha256"]) == 64 for f in listed.values())
    assert not list(tmp_path.glob(".*partial"))

    # Alter everything: people gone, names changed, a newcomer, files removed and added.
    User.objects.update(display_name="Someone else")
    Set.objects.update(name="Renamed")
    Issue.objects.order_by("pk").last().delete()
    make_person("newcomer")
    (media / "top.pdf").unlink()
    (media / "logs" / "7" / "notes.txt").write_text("rewritten")
    (media / "stray.txt").write_text("added after the backup")
    altered = state(media)
    assert altered != before

    with pytest.raises(CommandError, match="--force") as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert "Nothing was changed" in str(refused.value)
    assert state(media) == altered

    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)

    assert (
        f"Restored the {connection.vendor} database and {len(before[1])} uploaded files"
        in out.getvalue()
    )
    after = state(media)
    assert after[0].keys() == before[0].keys()
    # The audit log gains one event, the restore's own, after the backup's rows.
    *kept, restored = after[0].pop("audit.AuditEvent")
    assert kept == before[0].pop("audit.AuditEvent")
    assert (restored["action"], restored["via"], restored["actor_id"]) == (
        "restore",
        "command",
        None,
    )
    for table in before[0]:
        assert after[0][table] == before[0][table], table
    assert after[1] == before[1]
    assert not [p for p in media.parent.iterdir() if p.name.startswith(".revans-")]


@sqlite_only
def test_a_backup_taken_while_another_connection_writes_is_consistent(world, media, tmp_path):
    """A writer commits two sessions per transaction throughout; every backup holds an even
    number of them and passes SQLite's integrity check."""
    database = connection.settings_dict["NAME"]
    stop = threading.Event()
    written = []

    def write():
        writer = sqlite3.connect(database, timeout=20, isolation_level=None)
        n = 0
        while not stop.is_set():
            writer.execute("BEGIN IMMEDIATE")
            for _ in range(2):
                writer.execute(
                    "INSERT INTO django_session (session_key, session_data, expire_date) "
                    "VALUES (?, 'x', '2099-01-01 00:00:00')",
                    (f"probe{n:036d}",),
                )
                n += 1
            writer.execute("COMMIT")
            written.append(n)
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        for _ in range(1000):  # at most 10 seconds for the writer's first commit
            if written:
                break
            time.sleep(0.01)
        counts = []
        for i in range(4):
            archive = tmp_path / f"b{i}.zip"
            backup(archive)
            with zipfile.ZipFile(archive) as zipped:
                (tmp_path / f"b{i}.sqlite3").write_bytes(zipped.read(SQLITE_MEMBER))
            copy = sqlite3.connect(tmp_path / f"b{i}.sqlite3")
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            counts.append(
                copy.execute(
                    "SELECT count(*) FROM django_session WHERE session_key LIKE 'probe%'"
                ).fetchone()[0]
            )
            copy.close()
    finally:
        stop.set()
        thread.join()
    assert written, "the writer ran"
    assert counts[0] > 0
    assert all(count % 2 == 0 for count in counts), counts
    assert counts == sorted(counts)


@pytest.fixture
def archive(world, media, tmp_path) -> Path:
    path = tmp_path / "good.zip"
    backup(path)
    return path


def refused(path: Path, media: Path, match: str) -> None:
    before = state(media)
    with pytest.raises(CommandError, match=match) as error:
        call_command("restore", str(path), "--force", stdout=io.StringIO())
    assert "Nothing was changed" in str(error.value)
    assert state(media) == before
    assert not [p for p in media.parent.iterdir() if p.name.startswith(".revans-")]


@pytest.mark.parametrize("member", [DATABASE, "media/top.pdf", MANIFEST])
def test_a_damaged_archive_is_refused(archive, media, tmp_path, member):
    """Bytes flipped inside one member's compressed data."""
    with zipfile.ZipFile(archive) as zipped:
        info = zipped.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(archive.read_bytes())
    middle = start + info.compress_size // 2
    for i in range(middle, middle + 4):
        data[i] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    Set.objects.update(name="Changed since")
    refused(damaged, media, "damaged")


@pytest.mark.parametrize("keep", [0.5, 0.99, 0.0])
def test_a_truncated_archive_is_refused(archive, media, tmp_path, keep):
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: int(len(data) * keep)])
    refused(truncated, media, "not a usable Revans backup")


def test_foreign_files_are_refused(world, media, tmp_path):
    a_zip = tmp_path / "photos.zip"
    with zipfile.ZipFile(a_zip, "w") as zipped:
        zipped.writestr("holiday.jpg", os.urandom(500))
    refused(a_zip, media, "has no manifest.json")

    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zipped:
        zipped.writestr(MANIFEST, json.dumps({"format": "something-else"}))
    refused(other, media, "does not describe a Revans backup")

    escaping = tmp_path / "escaping.zip"
    with zipfile.ZipFile(escaping, "w") as zipped:
        zipped.writestr(
            MANIFEST,
            json.dumps(
                {
                    "format": "revans-backup",
                    "format_version": 1,
                    "database": {"vendor": connection.vendor, "path": "../../evil"},
                    "schema": {},
                    "files": [{"path": "../../evil", "sha256": "0" * 64}],
                }
            ),
        )
    refused(escaping, media, "unsafe paths")

    a_tar = tmp_path / "files.tar.gz"
    with tarfile.open(a_tar, "w:gz") as tar:
        tar.add(media, arcname="media")
    refused(a_tar, media, "not a ZIP archive")

    missing = tmp_path / "missing.zip"
    refused(missing, media, "does not exist")


def test_a_backup_from_a_newer_revans_is_refused(archive, media, tmp_path):
    newer = rewritten(
        archive,
        tmp_path / "newer.zip",
        lambda m: m["schema"].update(formation="0099_from_the_future"),
    )
    refused(newer, media, "newer version of Revans.*formation 0099_from_the_future")


def test_a_backup_of_another_database_vendor_is_refused(archive, media, tmp_path):
    other_vendor = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    other = rewritten(
        archive, tmp_path / "other.zip", lambda m: m["database"].update(vendor=other_vendor)
    )
    refused(
        other,
        media,
        f"holds a {other_vendor} database, but Revans is configured for {connection.vendor}",
    )


def test_a_backup_from_an_older_schema_is_migrated_after_restoring(world, media, tmp_path):
    call_command("migrate", "formation", "0002", verbosity=0)
    try:
        backup(tmp_path / "old.zip")
    finally:
        call_command("migrate", "formation", verbosity=0)
    with zipfile.ZipFile(tmp_path / "old.zip") as zipped:
        assert json.loads(zipped.read(MANIFEST))["schema"]["formation"] == "0002_in_company"

    out = io.StringIO()
    call_command("restore", str(tmp_path / "old.zip"), "--force", stdout=out)

    assert "migrated" in out.getvalue()
    assert MigrationRecorder.Migration.objects.filter(
        app="formation", name="0003_prefer_internal"
    ).exists()
    assert Cohort.objects.filter(prefer_internal=True).count() == 0  # the column is back


def test_a_restore_into_an_empty_database_needs_no_force(media, tmp_path):
    make_person("only")
    backup(tmp_path / "one.zip")
    User.objects.all().delete()

    restore(tmp_path / "one.zip")

    assert list(User.objects.values_list("email", flat=True)) == ["only@example.org"]


@pytest.mark.parametrize(
    "where",
    ["missing folder/b.zip", "a file/b.zip", "a folder"],
)
def test_a_backup_to_a_place_it_cannot_write_is_refused(db, media, tmp_path, where):
    (tmp_path / "a file").write_text("not a folder")
    (tmp_path / "a folder").mkdir()
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(CommandError, match=r"does not exist|is a folder"):
        call_command("backup", "-o", str(tmp_path / where), stdout=io.StringIO())
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through any permission")
def test_a_backup_to_a_read_only_folder_is_refused(db, media, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(CommandError, match="Cannot write"):
            call_command("backup", "-o", str(locked / "b.zip"), stdout=io.StringIO())
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_failed_backup_leaves_no_partial_file(db, media, tmp_path, monkeypatch):
    """A failure half-way through (here: a file that cannot be read) removes the partial
    archive and leaves an earlier backup of the same name as it was."""
    target = tmp_path / "b.zip"
    target.write_bytes(b"yesterday's backup")

    def broken(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("revans.site.backup._media_files", broken)
    with pytest.raises(BackupError, match=r"Cannot write .*Permission denied"):
        backup(target)
    assert target.read_bytes() == b"yesterday's backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.zip", "data"]


def test_without_the_postgresql_client_tools_the_message_says_so(monkeypatch):
    monkeypatch.setattr("revans.site.backup.shutil.which", lambda name: None)
    with pytest.raises(BackupError, match="pg_dump is not installed"):
        _pg_tool("pg_dump")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on PostgreSQL only")
def test_a_postgresql_backup_without_pg_dump_says_so(world, media, tmp_path, monkeypatch):
    monkeypatch.setattr("revans.site.backup.shutil.which", lambda name: None)
    with pytest.raises(CommandError, match="pg_dump is not installed"):
        call_command("backup", "-o", str(tmp_path / "b.zip"), stdout=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_the_revans_command_exits_non_zero_with_the_message(tmp_path):
    """As an operator runs them: `revans backup` and `revans restore` in a process of their own."""
    env = {**os.environ, "REVANS_MODE": "demo", "REVANS_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    revans = str(Path(sys.executable).with_name("revans"))
    (tmp_path / "notes.txt").write_text("not a backup")

    written = subprocess.run(
        [revans, "backup", "-o", str(tmp_path / "no such folder" / "b.zip")],
        env=env,
        capture_output=True,
        text=True,
    )
    restored = subprocess.run(
        [revans, "restore", str(tmp_path / "notes.txt")], env=env, capture_output=True, text=True
    )

    assert written.returncode != 0
    assert "the folder" in written.stderr and "does not exist" in written.stderr
    assert restored.returncode != 0
    assert "is not a usable Revans backup" in restored.stderr
    assert "Traceback" not in written.stderr + restored.stderr


@sqlite_only
def test_a_connection_left_open_sees_the_restored_database(media, tmp_path):
    """As a running Revans would: its connection, opened before the restore, reads the restored
    rows afterwards, and the database stays in WAL mode with an intact file."""
    make_person("kept")
    backup(tmp_path / "b.zip")
    make_person("added")
    running = sqlite3.connect(connection.settings_dict["NAME"])
    query = "SELECT email FROM accounts_user ORDER BY email"
    assert running.execute(query).fetchall() == [("added@example.org",), ("kept@example.org",)]

    restore(tmp_path / "b.zip", force=True)

    assert running.execute(query).fetchall() == [("kept@example.org",)]
    assert running.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert running.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    running.close()


def test_a_folder_that_refuses_new_files_is_refused(db, media, tmp_path, monkeypatch):
    """What a read-only folder answers (root, running the suite, writes through permissions)."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("revans.site.backup.tempfile.mkstemp", refuse)
    with pytest.raises(CommandError, match=r"Cannot write to .*: Permission denied"):
        call_command("backup", "-o", str(tmp_path / "b.zip"), stdout=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on PostgreSQL only")
def test_a_postgresql_restore_while_another_connection_holds_a_table_gives_up(
    media, tmp_path, monkeypatch
):
    """A worker still serving (a transaction that read a table) would make DROP TABLE wait for
    ever: the restore gives up after its lock timeout, says to stop Revans, and changed
    nothing."""
    import psycopg

    monkeypatch.setattr("revans.site.backup.LOCK_TIMEOUT_SECONDS", 1)
    make_person("kept")
    backup(tmp_path / "b.zip")
    make_person("added")
    settings_dict = connection.settings_dict
    busy = psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
    )
    try:
        busy.execute("SELECT count(*) FROM accounts_user").fetchone()  # the transaction stays open
        with pytest.raises(BackupError, match="Stop Revans"):
            restore(tmp_path / "b.zip", force=True)
    finally:
        busy.close()

    assert sorted(User.objects.values_list("email", flat=True)) == [
        "added@example.org",
        "kept@example.org",
    ]
