"""Read side of an office's catalog for its administration: the services (with booking
rule and service standard) and the counters (with the services each calls, in order), in
the fields the catalog's use cases take, for the admin pages and the API. A member of one
zone sees that zone's things and those of no zone."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import repository
from ..db import Database
from ..domain import catalog, errors
from ..domain.permissions import Actor, Permission, can, require
from ..models import BookingRule, Counter, CounterService, Office, Service


def _service_view(service: Service, rule: BookingRule | None, counters: list[int]) -> dict[str, Any]:
    values = catalog.service_values(service, rule)
    values["booking"] = values["booking"] or dict(catalog.BOOKING_DEFAULTS)
    return {**values, "counters": counters}


def _counter_view(counter: Counter) -> dict[str, Any]:
    order = {link.service.prefix: link.order for link in counter.links}
    return {"id": counter.id, **catalog.counter_values(counter, order)}


def _services(session: Session, office: Office, actor: Actor) -> list[dict[str, Any]]:
    services = [s for s in office.services if can(actor, Permission.CONFIGURE, office.id, s.zone_id)]
    ids = [s.id for s in services]
    rules = {r.service_id: r for r in session.execute(
        select(BookingRule).where(BookingRule.service_id.in_(ids))).scalars()}
    counters: dict[int, list[int]] = {}
    for service_id, number in session.execute(
            select(CounterService.service_id, Counter.number).join(Counter)
            .where(CounterService.service_id.in_(ids)).order_by(Counter.number)):
        counters.setdefault(service_id, []).append(number)
    return [_service_view(s, rules.get(s.id), counters.get(s.id, [])) for s in services]


def services(db: Database, actor: Actor, office_slug: str) -> list[dict[str, Any]]:
    """The office's services in kiosk order. Raises OfficeNotFound, PermissionDenied."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        require(actor, Permission.CONFIGURE, office.id)
        return _services(s, office, actor)


def service(db: Database, actor: Actor, office_slug: str, code: str) -> dict[str, Any]:
    """One service. Raises OfficeNotFound, ServiceNotFound, PermissionDenied (another zone)."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        found = repository.service_by_prefix(s, office, code)
        require(actor, Permission.CONFIGURE, office.id, found.zone_id)
        return next(view for view in _services(s, office, actor) if view["code"] == found.prefix)


def new_service() -> dict[str, Any]:
    """What the form of a new service starts with."""
    return {"code": "", "name": "", "name_en": "", **catalog.SERVICE_DEFAULTS,
            "booking": dict(catalog.BOOKING_DEFAULTS), "counters": []}


def new_counter() -> dict[str, Any]:
    """What the form of a new counter starts with."""
    return {"id": None, "number": None, **catalog.COUNTER_DEFAULTS}


def _counter_rows(session: Session, office: Office):
    return session.execute(select(Counter).where(Counter.office_id == office.id).order_by(Counter.number)
                           .options(selectinload(Counter.links).selectinload(CounterService.service))).scalars()


def counters(db: Database, actor: Actor, office_slug: str) -> list[dict[str, Any]]:
    """The office's counters by number, for whoever may operate them (a supervisor) or
    configure them. Raises OfficeNotFound, PermissionDenied."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        require(actor, Permission.OPERATE, office.id)
        return [_counter_view(c) for c in _counter_rows(s, office)
                if can(actor, Permission.OPERATE, office.id, c.zone_id)]


def counter(db: Database, actor: Actor, counter_id: int, *, office_slug: str | None = None) -> dict[str, Any]:
    """One counter (of the office `office_slug`, when given). Raises CounterNotFound,
    PermissionDenied."""
    with db.read() as s:
        row = repository.counter_for(s, actor, counter_id, Permission.OPERATE)
        if office_slug is not None and row.office.slug != office_slug:
            raise errors.CounterNotFound(counter=counter_id)
        return _counter_view(row)


def service_codes(db: Database, actor: Actor, office_slug: str) -> list[tuple[str, str, int | None]]:
    """(code, name, zone id) of each service a counter form offers, in kiosk order."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        require(actor, Permission.OPERATE, office.id)
        return [(row.prefix, row.name_id, row.zone_id) for row in office.services
                if can(actor, Permission.OPERATE, office.id, row.zone_id)]
