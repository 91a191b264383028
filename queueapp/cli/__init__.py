"""The `queueapp` command: serve, migrate, seed the demo, staff and tokens, kiosks, holidays, sounds."""
from __future__ import annotations

import os
import sys
from datetime import datetime, timezone

import click

from .. import config
from ..domain.errors import DomainError
from ..server import WORKERS


def _database():
    """The database of the app the server would build from the same settings."""
    from .. import create_app
    return create_app().extensions["queueapp.db"]


def _upgrade(db) -> None:
    from ..schema import upgrade
    upgrade(db.engine)


def describe(exc: DomainError) -> str:
    """`code: detail (name=value, ...)`, leaving out what the error does not carry."""
    text = exc.code if str(exc) == exc.code else f"{exc.code}: {exc}"
    params = ", ".join(f"{name}={value}" for name, value in exc.params.items())
    return f"{text} ({params})" if params else text


class Commands(click.Group):
    """The one place where a DomainError of any command (or subcommand), or an unusable
    QUEUEAPP_* value, becomes a one-line CLI error."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DomainError as exc:
            raise click.ClickException(describe(exc)) from None
        except config.ConfigError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=Commands, epilog="First run: queueapp create-user NAME --role owner, then /admin in the browser.")
def main() -> None:
    """Electronic queue and appointment system for public-service offices."""




@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--worker", type=click.Choice(WORKERS), default="gevent", show_default=True,
              help="gevent: gunicorn + gevent (production); eventlet: eventlet's server; "
                   "threading: simple threaded server.")
def serve(host: str, port: int, worker: str) -> None:
    """Run the server (one process; run several behind nginx with Redis to scale out)."""
    from ..server import run
    run(worker, host, port)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply all Alembic migrations."""
    database = _database()
    _upgrade(database)
    click.echo("database is up to date")


@main.command("seed-demo")
def seed_demo() -> None:
    """Load the demo office (slug `demo`) when it is absent."""
    from ..services.demo import seed_demo as seed
    database = _database()
    _upgrade(database)
    click.echo("demo office loaded" if seed(database) else "demo office already present")


@main.command("create-user")
@click.argument("username")
@click.option("--office", "office_slug", default=None, help="The office's slug (every role but owner).")
@click.option("--role", type=click.Choice(["owner", "admin", "supervisor", "clerk"]), required=True,
              help="owner: every office (e.g. the kabupaten's Diskominfo), no --office.")
@click.option("--zone", "zone_id", type=int, default=None, help="Limit the account to one zone (agency).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "display_name", default="")
def create_user(username: str, office_slug: str | None, role: str, zone_id: int | None, password: str,
                display_name: str) -> None:
    """Create a staff account: the first one is the owner (`--role owner`), who then
    creates offices and their admins in the browser at /admin."""
    from ..services import staff
    database = _database()
    _upgrade(database)
    staff.create_user(database, username, password, office_slug=office_slug, role=role,
                      display_name=display_name, zone_id=zone_id, now=datetime.now(timezone.utc))
    click.echo(f"user {username} created" + ("; log in at /login, then open /admin" if role in ("owner", "admin")
                                             else ""))


@main.command("create-token")
@click.argument("username")
@click.option("--days", type=click.IntRange(1, 3650), default=None,
              help="How long the token works [default: QUEUEAPP_API_TOKEN_DAYS, 90].")
@click.option("--name", default="", help="What the token is for, shown in the token list.")
def create_token(username: str, days: int | None, name: str) -> None:
    """Print a new API bearer token for USERNAME (only the token, on stdout)."""
    from ..services import staff
    days = days or config.load()["API_TOKEN_DAYS"]
    click.echo(staff.create_token(_database(), username, now=datetime.now(timezone.utc), name=name, days=days))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--worker", type=click.Choice(WORKERS), default="gevent", show_default=True)
def demo(host: str, port: int, worker: str) -> None:
    """Migrate, load the demo office if the database is empty, print the screens, serve."""
    from ..services.demo import DEMO_KIOSK, DEMO_PASSWORD, DEMO_SLUG, COUNTERS
    from ..services.demo import seed_demo as seed
    from ..services.kiosks import is_paired, new_device_token
    database = _database()
    _upgrade(database)
    seed(database)
    base = f"http://{host}:{port}"
    # Only a paired kiosk issues tickets: until the demo kiosk is paired, each start prints
    # a link that pairs the browser opening it (once; a new link unpairs the older one).
    if is_paired(database, DEMO_SLUG, DEMO_KIOSK):
        kiosk_line = (f"{base}/kiosk/{DEMO_SLUG}?kiosk={DEMO_KIOSK}   (paired; a new pairing link: "
                      f"queueapp kiosk {DEMO_SLUG} {DEMO_KIOSK} --token)")
    else:
        token = new_device_token(database, DEMO_SLUG, DEMO_KIOSK)
        kiosk_line = f"{base}/kiosk/{DEMO_SLUG}?kiosk={DEMO_KIOSK}&pair={token}   (open once: pairs that browser)"
    database.dispose()
    click.echo(f"""
queueapp demo on {base}
  kiosk    {kiosk_line}
  display  {base}/display/{DEMO_SLUG}
  counter  {base}/counter   (log in as a clerk below)
  booking  {base}/booking/{DEMO_SLUG}
  status   (open the QR of a ticket)  {base}/t/<token>
  API      {base}/api/v1/openapi.json
staff log-ins (password {DEMO_PASSWORD}):
  supervisor, admin, {", ".join(f"loket{n}" for n, *_ in COUNTERS)}
""")
    sys.stdout.flush()
    # Serve from a fresh interpreter: the app built above for the database imported modules
    # (ssl through redis) that gevent must patch before they load in a worker.
    os.execv(sys.executable, [sys.executable, "-m", "queueapp", "serve", "--host", host, "--port", str(port),
                              "--worker", worker])


@main.command("import-holidays")
@click.argument("office_slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_holidays(office_slug: str, path: str) -> None:
    """Add closed days to an office's booking calendar from a CSV (date,name) or ICS file."""
    from pathlib import Path

    from ..services import holidays
    added = holidays.import_file(_database(), office_slug, path, Path(path).read_bytes())
    click.echo(f"{added} new closed day(s) for {office_slug}")


@main.command("expire-appointments")
def expire_appointments() -> None:
    """Mark appointments whose check-in window has passed as no-shows (run from cron)."""
    from ..services.checkin import expire_appointments as expire
    click.echo(f"{expire(_database(), now=datetime.now(timezone.utc))} appointment(s) marked no-show")


@main.command("make-sounds")
@click.option("--into", "folder", type=click.Path(file_okay=False), default=None,
              help="Target folder (default: sounds/ in the instance folder, which the display "
                   "prefers to its packaged clips).")
@click.option("--keep-existing", is_flag=True, help="Leave files already there (e.g. human recordings).")
def make_sounds(folder: str | None, keep_existing: bool) -> None:
    """Record the display's announcement clips with espeak-ng and sox."""
    from pathlib import Path

    from ..sounds import SoundToolMissing, office_sounds
    from ..sounds import make_sounds as record
    target = Path(folder) if folder else office_sounds(config.load()["INSTANCE_PATH"])
    try:
        written = record(target, keep_existing=keep_existing)
    except SoundToolMissing as exc:  # a missing program, not a domain rule
        raise click.ClickException(str(exc)) from None
    click.echo(f"{len(written)} clips written to {target}")


@main.command("kiosk")
@click.argument("office_slug")
@click.argument("name")
@click.option("--paper", type=click.Choice(["80", "58"]), default=None,
              help="Thermal paper width in millimetres (a new kiosk: 80).")
@click.option("--printer", default=None,
              help="browser, network:HOST[:PORT], usb:VENDOR:PRODUCT (hex) or file:/dev/usb/lp0 (a new kiosk: browser)")
@click.option("--token", "new_token", is_flag=True,
              help="Pair the kiosk with a new device token and print it (last line); the earlier one stops working.")
def kiosk(office_slug: str, name: str, paper: str | None, printer: str | None, new_token: bool) -> None:
    """Set up (or change) kiosk NAME of an office: its paper and its printer.
    The kiosk then runs at /kiosk/OFFICE?kiosk=NAME once paired (--token, or the admin area)."""
    from ..services.kiosks import configure_kiosk, new_device_token
    database = _database()
    _upgrade(database)
    settings = configure_kiosk(database, office_slug, name, paper=int(paper) if paper else None, printer=printer)
    if not new_token:
        click.echo(f"kiosk {settings.name}: {settings.paper} mm, printer {settings.printer}")
        click.echo(f"open /kiosk/{office_slug}?kiosk={settings.name} (pair it with --token or in /admin)")
        return
    token = new_device_token(database, office_slug, settings.name)
    click.echo(f"kiosk {settings.name}: {settings.paper} mm, printer {settings.printer}", err=True)
    click.echo(f"pair a browser once at /kiosk/{office_slug}?kiosk={settings.name}&pair=<token>; "
               "a program sends Authorization: Bearer <token>", err=True)
    click.echo(token)


@main.group()
def translations() -> None:
    """The translation catalog (queueapp/translations/<locale>/LC_MESSAGES/messages.po).
    After changing user-visible strings: update, translate the new entries, compile."""


def _template():
    from ..i18n import extract_messages
    try:
        return extract_messages()
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None


@translations.command("extract")
@click.option("--output", "-o", default="messages.pot", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the catalog template.")
def translations_extract(output: str) -> None:
    """Collect every translatable string of the Python and Jinja sources (queueapp/babel.cfg)."""
    from ..i18n import write_catalog
    template = _template()
    write_catalog(template, output)
    click.echo(f"{len(template)} strings written to {output}")


_FOLDER = click.option("--directory", "-d", type=click.Path(file_okay=False, exists=True),
                       help="The catalogs' folder (default: queueapp/translations).")


@translations.command("update")
@_FOLDER
def translations_update(directory: str | None) -> None:
    """Extract, then merge into every language's catalog (new strings come untranslated)."""
    from ..i18n import update_catalogs
    for locale, missing in update_catalogs(_template(), directory).items():
        click.echo(f"{locale}: {missing} strings to translate")


@translations.command("compile")
@_FOLDER
def translations_compile(directory: str | None) -> None:
    """Compile every catalog to the .mo file the app reads."""
    from ..i18n import compile_catalogs
    for path in compile_catalogs(directory):
        click.echo(f"compiled {path}")


from .office import COMMANDS  # noqa: E402 - the groups register on `main` once it exists
from .privacy import COMMANDS as PRIVACY_COMMANDS  # noqa: E402

for _command in COMMANDS + PRIVACY_COMMANDS:
    main.add_command(_command)

from .backup import COMMANDS as BACKUP_COMMANDS  # noqa: E402

for _command in BACKUP_COMMANDS:
    main.add_command(_command)

from .simulate import simulate as _simulate  # noqa: E402

main.add_command(_simulate)

from .notify import COMMANDS as NOTIFY_COMMANDS  # noqa: E402

for _command in NOTIFY_COMMANDS:
    main.add_command(_command)

if __name__ == "__main__":
    main()
