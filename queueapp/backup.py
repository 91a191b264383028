"""Backups of the database into dated files, their retention, and restores (no Flask).

SQLite: SQLite's online backup API, one step inside one read transaction, so the copy is the
database as it stood at one instant while the server goes on writing (WAL lets writers pass a
reader). PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`.

Files are named queueapp-YYYYMMDD-HHMMSS.sqlite3 / .dump (UTC), readable by their owner only
(they hold citizens' names and phone numbers), written under a temporary name and renamed
when complete, so a half-written file is never taken for a backup.

A restore refuses to overwrite a database that holds data the backup lacks (see HighWater);
`force` overrides it.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

NAME = re.compile(r"^queueapp-\d{8}-\d{6}\.(sqlite3|dump)$")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def _url(database_url: str) -> URL:
    url = make_url(database_url)
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupError(f"cannot back up a {url.get_backend_name()} database")
    return url


def _rendered(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def _sqlite_path(url: URL) -> Path:
    path = url.database or ""
    if path.startswith("file:"):   # sqlite:///file:/path/x.db?mode=ro&uri=true
        path = path[len("file:"):]
    if not path or path == ":memory:":
        raise BackupError("the database is in memory: there is nothing to back up")
    return Path(path)


# --- backup -------------------------------------------------------------------------------

def file_name(now: datetime, url: URL) -> str:
    suffix = "sqlite3" if url.get_backend_name() == "sqlite" else "dump"
    return f"queueapp-{now.astimezone(timezone.utc):%Y%m%d-%H%M%S}.{suffix}"


def backup(database_url: str, folder: Path, *, now: datetime, keep: int | None = None) -> Path:
    """Back the database up into `folder` (made if missing) and keep the newest `keep`
    backups there (None: keep all). Returns the new file. Raises BackupError."""
    url = _url(database_url)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name(now, url)
    if target.exists():
        raise BackupError(f"{target} already exists (one backup per second at most)")
    partial = folder / f".{target.name}.partial"
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(url), partial)
        else:
            _pg_dump(url, partial)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    if keep is not None:
        prune(folder, keep)
    return target


def _sqlite_backup(source: Path, partial: Path) -> None:
    if not source.exists():
        raise BackupError(f"no database at {source}")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)   # pages=-1: every page in one step, one consistent snapshot
        # One self-contained file (no -wal beside it), checked before it counts as a backup.
        dst.execute("PRAGMA journal_mode=DELETE")
        check = dst.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed its check: {check}")
    finally:
        dst.close()
        src.close()
    with open(partial, "rb") as copy:
        os.fsync(copy.fileno())


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment that carries it
    (a password on the command line would show in `ps`)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _pg_dump(url: URL, partial: Path) -> None:
    uri, env = _libpq(url)
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={partial}", f"--dbname={uri}"], env)


def backups(folder: Path) -> list[Path]:
    """The backups in `folder`, oldest first (the dated names sort in time order)."""
    if not folder.is_dir():
        return []
    return sorted((path for path in folder.iterdir() if NAME.match(path.name)), key=lambda path: path.name)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (only files named as backups). Returns the deleted."""
    if keep < 1:
        raise BackupError("keep at least one backup")
    old = backups(folder)[:-keep]
    for path in old:
        path.unlink()
    return old


# --- how far a database has gone ------------------------------------------------------------

@dataclass(frozen=True)
class HighWater:
    """How far a database has gone: each office's event sequence number (bumped by every
    change of its queue) and the highest ticket, appointment and audit entry ids. A database
    is newer than a backup when any of them is ahead: it holds something the backup lacks."""

    seqs: dict[str, int]
    tickets: int
    appointments: int
    audit: int

    def ahead_of(self, other: HighWater) -> list[str]:
        """What this database holds beyond `other`, in words (empty: nothing)."""
        ahead = [f"office {slug} at event {seq} (backup: {other.seqs.get(slug, 'absent')})"
                 for slug, seq in sorted(self.seqs.items()) if seq > other.seqs.get(slug, -1)]
        for name in ("tickets", "appointments", "audit"):
            if getattr(self, name) > getattr(other, name):
                ahead.append(f"{name} up to id {getattr(self, name)} (backup: {getattr(other, name)})")
        return ahead


def high_water(database_url: str) -> HighWater | None:
    """None when the database has no queueapp tables (empty or missing)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("offices"):
                return None
            seqs = {slug: seq for slug, seq in conn.execute(text("SELECT slug, seq FROM offices"))}

            def top(table: str) -> int:
                return conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
            return HighWater(seqs, top("tickets"), top("appointments"), top("audit_entries"))
    finally:
        engine.dispose()


def _has_data(mark: HighWater | None) -> bool:
    return mark is not None and bool(mark.seqs or mark.tickets or mark.appointments or mark.audit)


# --- restore ---------------------------------------------------------------------------------

def restore(database_url: str, file: Path, *, force: bool = False) -> None:
    """Put the backup `file` in place of the configured database (stop the servers first).
    SQLite: refused when the database holds data the backup lacks (HighWater), unless
    `force`. PostgreSQL: a dump cannot be compared before it is restored, so refused when
    the database holds any data, unless `force`. Raises BackupError."""
    url = _url(database_url)
    if not file.is_file():
        raise BackupError(f"no backup at {file}")
    if url.get_backend_name() == "sqlite":
        _sqlite_restore(url, file, force)
    else:
        _pg_restore(url, file, force)


def _sqlite_restore(url: URL, file: Path, force: bool) -> None:
    if file.suffix != ".sqlite3":
        raise BackupError(f"{file.name} is not a SQLite backup (queueapp-*.sqlite3)")
    backup_url = f"sqlite:///{file.resolve()}"
    try:
        with closing(sqlite3.connect(f"file:{file.resolve()}?mode=ro", uri=True)) as check:
            verdict = check.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{file.name} is not a readable SQLite database: {exc}") from None
    if verdict != "ok":
        raise BackupError(f"{file.name} failed its check: {verdict}")
    saved = high_water(backup_url)
    if saved is None:
        raise BackupError(f"{file.name} holds no queueapp database")
    target = _sqlite_path(url)
    current = high_water(_rendered(url)) if target.exists() else None
    ahead = current.ahead_of(saved) if current is not None else []
    if ahead and not force:
        raise BackupError("the database is newer than the backup: it holds " + "; ".join(ahead)
                          + ". Restore with --force to replace it anyway.")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{file.resolve()}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        # Through SQLite, not a file copy: the live file's -wal and -shm stay consistent.
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.chmod(target, 0o600)


def _pg_restore(url: URL, file: Path, force: bool) -> None:
    if file.suffix != ".dump":
        raise BackupError(f"{file.name} is not a PostgreSQL backup (queueapp-*.dump)")
    if _has_data(high_water(_rendered(url))) and not force:
        raise BackupError("the database already holds data; a dump cannot be compared with it before "
                          "it is restored. Restore with --force to replace it.")
    uri, env = _libpq(url)
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={uri}", str(file)], env)
