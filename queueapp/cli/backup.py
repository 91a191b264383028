"""`queueapp backup` and `queueapp restore`: the commands around queueapp.backup."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from .. import config


def _failing(function, *args, **kwargs):
    from ..backup import BackupError
    try:
        return function(*args, **kwargs)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("backup")
@click.option("--into", "folder", type=click.Path(file_okay=False), default=None,
              help="Target folder (default: QUEUEAPP_BACKUP_DIR, or backups/ in the instance folder). "
                   "Better on another disk than the database's.")
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="Keep this many newest backups in the folder, delete older ones "
                   "(default: QUEUEAPP_BACKUP_KEEP).")
def backup(folder: str | None, keep: int | None) -> None:
    """Back the database up while the server runs, into a dated file
    (queueapp-YYYYMMDD-HHMMSS.sqlite3 or .dump, UTC). Run it from cron or a systemd timer."""
    from ..backup import backup as make_backup
    settings = config.load()
    target = Path(folder) if folder else settings["BACKUP_DIR"] or Path(settings["INSTANCE_PATH"]) / "backups"
    written = _failing(make_backup, settings["DATABASE_URL"], target, now=datetime.now(timezone.utc),
                       keep=keep or settings["BACKUP_KEEP"])
    click.echo(str(written))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--force", is_flag=True,
              help="Replace the database even when it holds data the backup lacks.")
def restore(file: str, force: bool) -> None:
    """Put a backup in place of the configured database (stop the servers first), then bring
    its schema up to date. Refused when the database is newer than the backup, unless --force."""
    from ..backup import restore as put_back
    from ..db import Database
    from ..schema import upgrade
    url = config.load()["DATABASE_URL"]
    _failing(put_back, url, Path(file), force=force)
    database = Database(url)
    try:
        upgrade(database.engine)
    finally:
        database.dispose()
    click.echo(f"restored {Path(file).name}; start the servers again")


COMMANDS = (backup, restore)
