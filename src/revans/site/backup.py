"""Backups: ``revans backup -o FILE`` and ``revans restore FILE``.

A backup is one ZIP archive:

    manifest.json             what it holds (below); written last
    database/revans.sqlite3   SQLite: a copy made with SQLite's online backup API
    database/revans.pgdump    PostgreSQL: ``pg_dump --format=custom``
    media/<path>              every uploaded file, as under MEDIA_ROOT

The manifest names the Revans version, the schema (the latest applied migration of each app),
the database vendor, when the backup was made, and every other member's path, size and
SHA-256. ZIP rather than .tar.gz: the manifest is read without unpacking the rest, every
member carries its own CRC as well as our SHA-256 (a damaged or truncated archive is found
before anything is touched), and an operator can open it with any tool on any system.

A backup is written to a temporary file beside FILE and renamed onto it at the end, so a failed
backup never leaves a half-written FILE. A restore checks the whole archive first, unpacks it
into a folder beside MEDIA_ROOT, and only then replaces the database and the uploaded files.
"""

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

FORMAT = "revans-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/revans.sqlite3"
POSTGRES_MEMBER = "database/revans.pgdump"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
# How long a PostgreSQL restore waits for other connections to let go of a table.
LOCK_TIMEOUT_SECONDS = 30


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the operator."""


@dataclass
class Restored:
    vendor: str
    files: int
    migrated: bool


def revans_version() -> str:
    try:
        return version("revans")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without install
        return "unknown"


def schema(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each app, as {app label: migration name}."""
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    applied: dict[str, list[tuple[str, str]]] = {}
    for key in loader.applied_migrations:
        applied.setdefault(key[0], []).append(key)
    latest = {}
    for app, keys in applied.items():
        known = [key for key in keys if key in loader.graph.nodes]
        if known:  # the one with the most ancestors (names need not sort by number)
            latest[app] = max(known, key=lambda k: len(loader.graph.forwards_plan(k)))[1]
        else:  # an app this code no longer has
            latest[app] = max(keys)[1]
    return dict(sorted(latest.items()))


def _hashing_copy(source: IO[bytes], target: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _add_file(archive: zipfile.ZipFile, path: Path, name: str) -> dict[str, Any]:
    info = zipfile.ZipInfo.from_file(path, name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with path.open("rb") as source, archive.open(info, "w", force_zip64=True) as target:
        sha256, size = _hashing_copy(source, target)
    return {"path": name, "size": size, "sha256": sha256}


def _database(alias: str) -> tuple[str, dict[str, Any]]:
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Revans backs up SQLite and PostgreSQL databases, not {vendor}.")
    return vendor, connection.settings_dict


def _pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """Connection settings for pg_dump and pg_restore, in their own environment variables
    (a password never appears on a command line)."""
    env = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} is not installed (or not on PATH); it is needed to back up and restore "
            f"PostgreSQL. Install the PostgreSQL client tools (e.g. apt install postgresql-client)."
        )
    return path


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        output = done.stderr.strip() or done.stdout.strip()
        if "lock timeout" in output:
            raise BackupError(
                f"{what} failed: another connection kept the database's tables busy for "
                f"{LOCK_TIMEOUT_SECONDS} s. Stop Revans (its web workers and `revans worker`), "
                "then restore again."
            )
        raise BackupError(f"{what} failed: {output}")


def _snapshot(vendor: str, settings_dict: dict[str, Any], folder: Path) -> Path:
    """A consistent copy of the database in ``folder``, made while Revans keeps running."""
    if vendor == "sqlite":
        copy = folder / "revans.sqlite3"
        live = Path(settings_dict["NAME"]).resolve()
        if not live.is_file():
            raise BackupError(f"There is no database to back up at {live}.")
        source = sqlite3.connect(f"{live.as_uri()}?mode=ro", uri=True, timeout=20)
        target = sqlite3.connect(copy)
        try:
            # One step: the whole database as one reader sees it, WAL contents included.
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            target.close()
            source.close()
        return copy
    dump = folder / "revans.pgdump"
    _run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(dump),
        ],
        _pg_environment(settings_dict),
        "pg_dump",
    )
    return dump


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path, MEDIA_PREFIX + path.relative_to(root).as_posix()


def backup(destination: str | os.PathLike[str], alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Writes a backup of the database and the uploaded files to ``destination``; returns its
    manifest. Raises BackupError, leaving nothing behind, when it cannot."""
    destination = Path(destination)
    folder = destination.parent
    if destination.is_dir():
        raise BackupError(f"{destination} is a folder; give the backup a file name.")
    if not folder.is_dir():
        raise BackupError(f"Cannot write {destination}: the folder {folder} does not exist.")
    vendor, settings_dict = _database(alias)
    try:
        handle, partial_name = tempfile.mkstemp(
            dir=folder, prefix=f".{destination.name}.", suffix=".partial"
        )
    except OSError as error:
        raise BackupError(f"Cannot write to {folder}: {error.strerror or error}.") from None
    partial = Path(partial_name)
    try:
        with (
            os.fdopen(handle, "wb") as raw,
            # The database's copy beside the archive too: the space is there, unlike /tmp's.
            tempfile.TemporaryDirectory(dir=folder, prefix=".revans-backup-") as scratch,
        ):
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
                # The database first, then the files: a file uploaded meanwhile is only an
                # extra, never a record pointing at a file the backup lacks.
                snapshot = _snapshot(vendor, settings_dict, Path(scratch))
                member = SQLITE_MEMBER if vendor == "sqlite" else POSTGRES_MEMBER
                files = [_add_file(archive, snapshot, member)]
                snapshot.unlink()
                for path, name in _media_files(Path(settings.MEDIA_ROOT)):
                    with contextlib.suppress(FileNotFoundError):  # deleted while we worked
                        files.append(_add_file(archive, path, name))
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "revans_version": revans_version(),
                    "created": datetime.now(UTC).isoformat(timespec="seconds"),
                    "database": {"vendor": vendor, "path": member},
                    "schema": schema(alias),
                    "files": files,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n")
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, destination)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BackupError(f"Cannot write {destination}: {error.strerror or error}.") from None
        if isinstance(error, sqlite3.Error):
            raise BackupError(f"Cannot copy the SQLite database: {error}.") from None
        raise
    return manifest


# Restoring


def _foreign(path: Path, why: str) -> BackupError:
    return BackupError(f"{path} is not a usable Revans backup: {why}. Nothing was changed.")


def _safe_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return (
        bool(name)
        and not pure.is_absolute()
        and ".." not in pure.parts
        and "\\" not in name
        and (name in (SQLITE_MEMBER, POSTGRES_MEMBER) or name.startswith(MEDIA_PREFIX))
    )


def read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise _foreign(path, "it has no manifest.json") from None
    except ValueError:
        raise _foreign(path, "its manifest.json is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _foreign(path, "its manifest does not describe a Revans backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a Revans backup of format {manifest.get('format_version')!r}; this "
            f"version of Revans reads format {FORMAT_VERSION}. Nothing was changed."
        )
    files, database, schema_ = (manifest.get(k) for k in ("files", "database", "schema"))
    if (
        not isinstance(files, list)
        or not isinstance(database, dict)
        or not isinstance(schema_, dict)
        or not all(
            isinstance(f, dict)
            and isinstance(f.get("path"), str)
            and isinstance(f.get("sha256"), str)
            and _safe_name(f["path"])
            for f in files
        )
        or database.get("path") not in [f["path"] for f in files]
    ):
        raise _foreign(path, "its manifest is incomplete or names unsafe paths")
    return manifest


def _check_schema(backed_up: dict[str, Any], alias: str) -> bool:
    """Refuses a backup from a newer Revans; True when the backup's schema is older."""
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    newer = sorted(
        f"{app} {name}" for app, name in backed_up.items() if (app, name) not in loader.graph.nodes
    )
    if newer:
        raise BackupError(
            "This backup was made by a newer version of Revans (its schema has migrations this "
            f"version does not know: {', '.join(newer)}). Upgrade Revans, then restore it. "
            "Nothing was changed."
        )
    code = {app: name for app, name in loader.graph.leaf_nodes()}
    return any(backed_up.get(app) != name for app, name in code.items())


def people(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many people the configured database holds (0 when it has no tables yet)."""
    connection = connections[alias]
    from revans.accounts.models import User

    if User._meta.db_table not in connection.introspection.table_names():
        return 0
    return User.objects.using(alias).count()


def _unpack(archive: zipfile.ZipFile, manifest: dict[str, Any], staging: Path, path: Path) -> None:
    """Every listed member into ``staging``, each checked against its SHA-256."""
    for entry in manifest["files"]:
        target = staging / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(entry["path"]) as source, target.open("wb") as out:
                sha256, _ = _hashing_copy(source, out)
        except KeyError:
            raise _foreign(path, f"{entry['path']} is missing from it") from None
        if sha256 != entry["sha256"]:
            raise _foreign(path, f"{entry['path']} is damaged (its SHA-256 does not match)")


def _restore_sqlite(copy: Path, settings_dict: dict[str, Any]) -> None:
    """Replaces the live database with ``copy`` in one write transaction, through SQLite's
    backup API: readers see the old database or the new one, never a mixture; SQLite itself
    keeps the WAL and shared-memory files right, even for Revans processes that still have
    the database open (renaming a file over it would leave them writing to a deleted file,
    and a left-over WAL file could be replayed onto the new one)."""
    source = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    try:
        integrity = source.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise BackupError(
                f"The backed-up database is damaged ({integrity}). Nothing was changed."
            )
        target = sqlite3.connect(settings_dict["NAME"], timeout=60)
        try:
            source.backup(target)  # one transaction: it fails whole or not at all
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            target.close()
    except sqlite3.Error as error:
        raise BackupError(
            f"Could not replace the SQLite database ({error}). Nothing was changed."
        ) from None
    finally:
        source.close()


def _restore_postgres(dump: Path, settings_dict: dict[str, Any], alias: str) -> None:
    """Replaces the database's tables with the dump's, in one transaction: the tables Revans has
    now are dropped first (a backup from an older schema lacks some), then pg_restore's script
    (--clean --if-exists) runs, all through psql --single-transaction."""
    env = _pg_environment(settings_dict)
    pg_restore, psql = _pg_tool("pg_restore"), _pg_tool("psql")
    script = dump.with_suffix(".sql")
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(script),
            str(dump),
        ],
        env,
        "pg_restore",
    )
    connection = connections[alias]
    quote = connection.ops.quote_name
    drops = dump.with_suffix(".drop.sql")
    drops.write_text(
        "".join(
            f"DROP TABLE IF EXISTS {quote(table)} CASCADE;\n"
            for table in connection.introspection.table_names()
        )
    )
    connections.close_all()
    # DROP TABLE waits for every open transaction that read the table: a worker still serving
    # would make it wait for ever, so it gives up instead, having changed nothing.
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT_SECONDS}s".strip()
    _run(
        [
            psql,
            "--no-psqlrc",
            "--quiet",
            "--set",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "--file",
            str(drops),
            "--file",
            str(script),
        ],
        env,
        "Restoring the PostgreSQL database (psql, in one transaction: nothing was changed)",
    )


def _replace_media(unpacked: Path, media_root: Path) -> None:
    old = None
    if media_root.exists():
        old = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".revans-media-old-"))
        os.rmdir(old)
        os.replace(media_root, old)
    if unpacked.exists():
        os.replace(unpacked, media_root)
    else:
        media_root.mkdir(parents=True)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def restore(
    source: str | os.PathLike[str],
    force: bool = False,
    alias: str = DEFAULT_DB_ALIAS,
    say: Callable[[str], None] = lambda message: None,
) -> Restored:
    """Restores a backup made by ``backup``. Raises BackupError, having changed nothing, for a
    damaged, truncated or foreign file, a backup from a newer Revans or another database
    vendor, or a database with data in it when ``force`` is not given."""
    path = Path(source)
    if not path.is_file():
        raise BackupError(f"{path} does not exist (or is not a file). Nothing was changed.")
    vendor, settings_dict = _database(alias)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise _foreign(path, "it is not a ZIP archive, or it is truncated") from None
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror or error}.") from None
    with (
        archive,
        tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".revans-restore-") as scratch,
    ):
        try:
            manifest = read_manifest(archive, path)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            raise _foreign(path, f"it is damaged or truncated ({error})") from None
        backed_up = manifest["database"].get("vendor")
        if backed_up != vendor:
            raise BackupError(
                f"{path} holds a {backed_up} database, but Revans is configured for {vendor} "
                "(DATABASE_URL). Nothing was changed."
            )
        older = _check_schema(manifest["schema"], alias)
        staging = Path(scratch)
        try:
            _unpack(archive, manifest, staging, path)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            raise _foreign(path, f"it is damaged or truncated ({error})") from None
        count = people(alias)
        if count and not force:
            raise BackupError(
                f"The database already holds data ({count} people); restoring would replace all "
                "of it and the uploaded files. Run again with --force to do so. Nothing was "
                "changed."
            )
        database = staging / manifest["database"]["path"]
        say(f"Restoring the {vendor} database from a backup made {manifest.get('created')}.")
        if vendor == "sqlite":
            _restore_sqlite(database, settings_dict)
        else:
            _restore_postgres(database, settings_dict, alias)
        connections.close_all()
        _replace_media(staging / MEDIA_PREFIX.rstrip("/"), media_root)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        migrated = False
        if older:
            executor = MigrationExecutor(connections[alias])
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                say("The backup's schema is older than this version's: migrating.")
                call_command("migrate", database=alias, interactive=False, verbosity=0)
                migrated = True
    files = sum(1 for f in manifest["files"] if f["path"].startswith(MEDIA_PREFIX))
    return Restored(vendor=vendor, files=files, migrated=migrated)
