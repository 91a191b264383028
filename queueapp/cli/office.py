"""`queueapp office|service|counter ...`: set up offices from the shell or from one file,
for scripting and for copying an office. Each command runs the same use case as the
admin pages and the API (checked, audited, shown live on open screens)."""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from ..domain import errors


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _database():
    from . import _database as database
    return database()


def _read_document(path: str) -> object:
    """A YAML or JSON file (by its extension; YAML is a superset of JSON)."""
    import yaml
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        return json.loads(text) if path.lower().endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise click.ClickException(f"{path} is not valid {'JSON' if path.endswith('.json') else 'YAML'}: {exc}")


@click.group("office")
def office() -> None:
    """Offices: create, import or export one as a file."""


@office.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The office's name, e.g. \"Kantor Kecamatan Sukamaju\".")
@click.option("--timezone", "tz", default="WIB", show_default=True, help="WIB, WITA or WIT.")
@click.option("--address", default="")
def office_create(slug: str, name: str, tz: str, address: str) -> None:
    """Create an office (then add services, counters, hours and staff)."""
    from ..services.offices import create_office
    created = create_office(_database(), None, slug=slug, name=name, timezone=tz, address=address, now=_now())
    click.echo(f"office {created} created; next: queueapp service add {created} A --name ...")


@office.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def office_import(path: str) -> None:
    """Create or update an office from a YAML or JSON file (docs/ADMIN.md shows the format).
    Importing the same file again changes nothing."""
    from ..services.office_import import import_office
    report = import_office(_database(), _read_document(path), now=_now())
    for label, counts in (("created", report.created), ("updated", report.updated)):
        if counts:
            click.echo(f"{label}: " + ", ".join(f"{n} {section}" for section, n in counts.items()))
    for username, password in report.passwords.items():
        click.echo(f"password of new account {username}: {password}  (change it after the first log-in)")


@office.command("export")
@click.argument("slug")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Default: standard output.")
def office_export(slug: str, output: str | None) -> None:
    """Write an office as a YAML file that `office import` reads (without passwords)."""
    import yaml

    from ..queries.office_document import office_document
    document = office_document(_database(), slug)
    if document is None:
        raise errors.OfficeNotFound(office=slug)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"office {slug} written to {output}")
    else:
        sys.stdout.write(text)


@click.group("service")
def service() -> None:
    """Services of an office."""


@service.command("add")
@click.argument("office_slug")
@click.argument("code")
@click.option("--name", required=True, help="Indonesian name, e.g. \"Kartu Keluarga\".")
@click.option("--name-en", default=None)
@click.option("--quota", type=int, default=None, help="Tickets per day (none: no limit).")
@click.option("--minutes", type=int, default=10, show_default=True, help="Expected minutes per citizen.")
@click.option("--target-wait", type=int, default=30, show_default=True, help="Promised longest wait, minutes.")
def service_add(office_slug: str, code: str, name: str, name_en: str | None, quota: int | None, minutes: int,
                target_wait: int) -> None:
    """Add service CODE (its ticket prefix, one or two letters) to an office."""
    from ..services.catalog import add_service
    fields = {"code": code, "name": name, "name_en": name_en or name, "daily_quota": quota,
              "expected_minutes": minutes, "target_wait_minutes": target_wait}
    click.echo(f"service {add_service(_database(), None, office_slug, fields, now=_now())} added")


@click.group("counter")
def counter() -> None:
    """Counters of an office."""


def _matrix(text: str) -> dict[str, int]:
    """ "A:1,B:2" (or "A,B": order 1) -> {"A": 1, "B": 2}."""
    result = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, _, order = part.partition(":")
        if order and not order.isdigit():
            raise click.BadParameter(f"{part}: the order after ':' is a number", param_hint="--services")
        result[code.strip().upper()] = int(order or 1)
    return result


@counter.command("add")
@click.argument("office_slug")
@click.argument("number", type=int)
@click.option("--name", default=None, help="Default: \"Loket NUMBER\".")
@click.option("--services", "matrix", required=True, help="Codes with their order, e.g. A:1,B:2.")
@click.option("--priority-first/--no-priority-first", default=True, show_default=True)
@click.option("--open", "open_now", is_flag=True, help="Open the counter now.")
def counter_add(office_slug: str, number: int, name: str | None, matrix: str, priority_first: bool,
                open_now: bool) -> None:
    """Add counter NUMBER to an office, serving the given services."""
    from ..services.catalog import add_counter
    fields = {"number": number, "name": name or f"Loket {number}", "services": _matrix(matrix),
              "priority_first": priority_first, "state": "open" if open_now else "closed"}
    counter_id = add_counter(_database(), None, office_slug, fields, now=_now())
    click.echo(f"counter {number} added (id {counter_id})")


COMMANDS = (office, service, counter)
