"""Set up or update a whole office from one document (YAML or JSON; the format of
queries.office_document), through the same use cases as the admin pages and the API, so
every change is checked, audited and shown live. Importing the same document again changes
nothing. Runs as the command line (trusted): the server's operator."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .. import repository
from ..db import Database
from ..domain import errors, setup
from ..domain.errors import N_
from . import catalog, devices, holidays, offices, staff

SECTIONS = ("office", "zones", "services", "counters", "hours", "holidays", "kiosks", "displays", "staff")


@dataclass
class ImportReport:
    """What an import did: "created"/"updated" counts per section, and the passwords it
    made for new accounts whose document gave none (shown once, never stored in clear)."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)

    def count(self, section: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[section] = target.get(section, 0) + 1


def _list(document: dict, section: str) -> list[dict]:
    items = document.get(section) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise errors.InvalidInput(N_("%(field)s must be a list of objects"), field=section)
    return items


def check_document(document: Any) -> dict:
    """The document's shape (sections and their types), before anything is written."""
    if not isinstance(document, dict) or not isinstance(document.get("office"), dict):
        raise errors.InvalidInput(N_("%(field)s is required"), field="office")
    unknown = sorted(set(document) - set(SECTIONS))
    if unknown:
        raise errors.InvalidInput(N_("unknown field %(field)s"), field=unknown[0])
    for section in SECTIONS[1:]:
        _list(document, section)
    setup.office_slug(document["office"].get("slug"))
    return document


def _zone(ids: dict, name: str | None) -> int | None:
    if name in (None, ""):
        return None
    if name not in ids["zones"]:
        raise errors.ZoneNotFound(zone=name)
    return ids["zones"][name]


def _without(item: dict, *names: str) -> dict:
    return {k: v for k, v in item.items() if k not in names}


def import_office(db: Database, document: Any, *, now: datetime) -> ImportReport:
    """Create the office when absent, then add or update each thing the document lists
    (things it does not list are left alone). Raises the use cases' domain errors; the
    parts before a failing one stay done, and importing again completes the rest."""
    document = check_document(document)
    report = ImportReport()
    head = document["office"]
    slug = setup.office_slug(head["slug"])
    if not office_exists(db, slug):
        offices.create_office(db, None, slug=slug, name=head.get("name") or slug,
                              timezone=head.get("timezone") or "WIB", address=head.get("address") or "", now=now)
        report.count("office", True)
    settings = _without(head, "slug")
    if settings:
        offices.update_office(db, None, slug, settings, now=now)
    _zones(db, slug, document, report, now)
    ids = office_ids(db, slug)
    for item in _list(document, "services"):
        fields = {**_without(item, "zone"), **({"zone_id": _zone(ids, item["zone"])} if "zone" in item else {})}
        if str(item.get("code", "")).upper() in ids["services"]:
            catalog.update_service(db, None, slug, str(item["code"]).upper(), _without(fields, "code"), now=now)
        else:
            catalog.add_service(db, None, slug, fields, now=now)
        report.count("services", str(item.get("code", "")).upper() not in ids["services"])
    for item in _list(document, "counters"):
        fields = {**_without(item, "zone"), **({"zone_id": _zone(ids, item["zone"])} if "zone" in item else {})}
        if item.get("number") in ids["counters"]:
            catalog.update_counter(db, None, ids["counters"][item["number"]], _without(fields, "number"), now=now)
        else:
            catalog.add_counter(db, None, slug, fields, now=now)
        report.count("counters", item.get("number") not in ids["counters"])
    if "hours" in document:
        periods = [setup.period(h.get("weekday"), h.get("opens"), h.get("closes"), h.get("breaks") or (),
                                walk_ins=h.get("walk_ins", True), appointments=h.get("appointments", True))
                   for h in _list(document, "hours")]
        offices.set_hours(db, None, slug, periods, now=now)
        report.count("hours", False)
    entries = [(_day(h.get("date")), str(h.get("name") or "Libur")) for h in _list(document, "holidays")]
    if entries:
        report.created["holidays"] = holidays.import_holidays(db, slug, entries)
    _devices(db, slug, document, ids, report, now)
    _staff(db, slug, document, ids, report, now)
    return report


def office_ids(db: Database, slug: str) -> dict[str, dict]:
    with db.read() as s:
        return repository.office_ids(s, repository.office_by_slug(s, slug))


def office_exists(db: Database, slug: str) -> bool:
    try:
        office_ids(db, slug)
    except errors.OfficeNotFound:
        return False
    return True


def _day(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise errors.InvalidInput(N_("%(field)s must be a date YYYY-MM-DD"), field="holidays") from None


def _zones(db: Database, slug: str, document: dict, report: ImportReport, now: datetime) -> None:
    known = office_ids(db, slug)["zones"]
    for item in _list(document, "zones"):
        name = setup.text(item.get("name"), "name", max_length=100, required=True)
        if name in known:
            offices.update_zone(db, None, known[name], _without(item, "name"), now=now)
        else:
            offices.add_zone(db, None, slug, name=name, agency=item.get("agency") or "", now=now)
        report.count("zones", name not in known)


def _devices(db: Database, slug: str, document: dict, ids: dict, report: ImportReport, now: datetime) -> None:
    for section, add, update in (("kiosks", devices.add_kiosk, devices.update_kiosk),
                                 ("displays", devices.add_display, devices.update_display)):
        for item in _list(document, section):
            fields = {**_without(item, "zone"), **({"zone_id": _zone(ids, item["zone"])} if "zone" in item else {})}
            if item.get("name") in ids[section]:
                update(db, None, ids[section][item["name"]], _without(fields, "name"), now=now)
            else:
                add(db, None, slug, fields, now=now)
            report.count(section, item.get("name") not in ids[section])


def _staff(db: Database, slug: str, document: dict, ids: dict, report: ImportReport, now: datetime) -> None:
    for item in _list(document, "staff"):
        name = setup.username(item.get("username"))
        zone_id = _zone(ids, item.get("zone"))
        if name in ids["staff"]:
            fields = {k: item[k] for k in ("role", "display_name", "active") if k in item}
            if "zone" in item:
                fields["zone_id"] = zone_id
            # A password in the document is for a new account only: importing again never
            # resets one (and so never ends anyone's session).
            staff.update_staff(db, None, ids["staff"][name], fields, now=now)
        else:
            password = item.get("password") or secrets.token_urlsafe(9)
            if not item.get("password"):
                report.passwords[name] = password
            staff.create_user(db, name, password, office_slug=slug, role=item.get("role") or "clerk",
                              display_name=item.get("display_name") or "", zone_id=zone_id, now=now)
        report.count("staff", name not in ids["staff"])
