"""`queueapp privacy purge|export|erase`: personal data past its retention, and a citizen's
access and erasure requests (UU 27/2022: answered within 3 x 24 hours). Every run that
touches personal data is on the audit log, with counts and never the phone or NIK."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import click


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _app():
    """The database and settings of the app the server builds (the keyed hashes of phones
    and NIKs need its SECRET_KEY, which may live in the instance folder)."""
    from .. import create_app
    app = create_app()
    return app.extensions["queueapp.db"], app.config


def _citizen(phone: str | None, nik: str | None, settings):
    from ..domain.retention import Citizen
    return Citizen.of(phone=phone, nik=nik, secret_key=settings["SECRET_KEY"])


_WHO = (click.option("--phone", default=None, help="The citizen's phone number, as they typed it when booking."),
        click.option("--nik", default=None, help="The citizen's NIK (16 digits)."))


def _who(command):
    for option in reversed(_WHO):
        command = option(command)
    return command


@click.group("privacy")
def privacy() -> None:
    """Citizens' personal data: retention purge, export and erasure on request (docs/PRIVACY.md)."""


@privacy.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be anonymised.")
def purge(dry_run: bool) -> None:
    """Anonymise personal data past its retention (QUEUEAPP_RETAIN_*_DAYS); the
    statistics stay. The server also runs it daily; safe to run from cron at any time."""
    from ..services import privacy as use_cases
    database, settings = _app()
    done = use_cases.purge(database, use_cases.retention_of(settings), now=_now(), dry_run=dry_run)
    verb = "would be anonymised" if dry_run else "anonymised"
    for kind, count in done.totals().items():
        click.echo(f"{kind}: {count} {verb}")


@privacy.command("export")
@_who
def export(phone: str | None, nik: str | None) -> None:
    """Print (JSON) everything held about the citizen with this phone or NIK."""
    from ..queries.privacy import citizen_records
    from ..services import privacy as use_cases
    database, settings = _app()
    citizen = _citizen(phone, nik, settings)
    records = citizen_records(database, citizen)
    found = records.pop("found")
    use_cases.record_export(database, citizen, found, now=_now())
    click.echo(json.dumps(records, ensure_ascii=False, indent=2))


@privacy.command("erase")
@_who
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(phone: str | None, nik: str | None, yes: bool) -> None:
    """Anonymise every record of the citizen with this phone or NIK (appointments, tickets
    taken from home); counts and times stay for the reports."""
    from ..services import privacy as use_cases
    database, settings = _app()
    citizen = _citizen(phone, nik, settings)
    if not yes:
        click.confirm("Anonymise every record of this citizen? This cannot be undone.", abort=True)
    done = use_cases.erase(database, citizen, now=_now())
    for kind, count in done.totals().items():
        if kind != "audit_address":
            click.echo(f"{kind}: {count} anonymised")


COMMANDS = (privacy,)
