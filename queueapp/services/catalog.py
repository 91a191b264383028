"""An office's catalog: add and change its services (with booking rule and service
standard) and its counters (with the services each calls, in order). Each function is one
transaction: lock the office, check the permission table, check the values
(domain.catalog), write, then the audit entry and one `office.configured` event."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import repository
from ..db import Database, UnitOfWork
from ..domain import catalog, errors
from ..domain.audit import AuditAction
from ..domain.permissions import Actor, Permission, require, scope
from ..domain.states import CounterState
from ..models import BookingRule, Counter, CounterService, Display, Office, Service, Zone
from .audit import configured, record
from .counters import counter_event

_SERVICE_COLUMNS = {"code": "prefix", "name": "name_id"}


def _check(actor: Actor | None, permission: Permission, office: Office, *zones) -> None:
    """The permission in the office, on each zone given (the command line may do anything)."""
    if actor is None:
        return
    require(actor, permission, office.id)
    for zone in zones:
        require(actor, permission, office.id, zone)


def _check_zone(session: Session, office: Office, zone_id: int | None) -> None:
    if zone_id is not None and session.execute(select(Zone.id).where(
            Zone.id == zone_id, Zone.office_id == office.id)).first() is None:
        raise errors.ZoneNotFound(zone=zone_id)


# --- Services ---


def _rule_of(session: Session, service: Service) -> BookingRule | None:
    return session.get(BookingRule, service.id) if service.id else None


def _write_service(session: Session, service: Service, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name != "booking":
            setattr(service, _SERVICE_COLUMNS.get(name, name), value)
    session.flush()
    if values["booking"] is not None:
        rule = _rule_of(session, service) or BookingRule(service_id=service.id)
        for name, value in values["booking"].items():
            setattr(rule, name, value)
        session.add(rule)


def _code_free(session: Session, office: Office, code: str) -> None:
    if session.execute(select(Service.id).where(Service.office_id == office.id, Service.prefix == code)).first():
        raise errors.AlreadyExists(value=code, what="code")


def _merged_booking(current: dict | None, given) -> dict | None:
    if given is None:
        return current
    return {**(current or catalog.BOOKING_DEFAULTS), **catalog.known(given, catalog.BOOKING_FIELDS, "booking.")}


def _checked_service(values: dict[str, Any], had_rule: bool) -> dict[str, Any]:
    """The checked values; a service without a rule gets none for a rule that is all defaults
    (a form always sends one: not bookable)."""
    checked = catalog.service(values)
    if not had_rule and checked["booking"] == catalog.BOOKING_DEFAULTS:
        checked["booking"] = None
    return checked


def add_service(db: Database, actor: Actor | None, office_slug: str, fields: dict, *, now: datetime) -> str:
    """Add a service to the office (kiosk order: last unless `position` says otherwise).
    Returns its code. Raises OfficeNotFound, PermissionDenied, InvalidInput, ZoneNotFound,
    AlreadyExists (the code is taken)."""
    given = catalog.known(fields, catalog.SERVICE_FIELDS)
    with db.write() as uow:
        s = uow.session
        office = uow.lock_office_by_slug(office_slug)
        _check(actor, Permission.CONFIGURE, office)
        values = _checked_service({**catalog.SERVICE_DEFAULTS, **given,
                                   "booking": _merged_booking(None, given.get("booking"))}, had_rule=False)
        _check(actor, Permission.CONFIGURE, office, scope(values["zone_id"]))
        _check_zone(s, office, values["zone_id"])
        _code_free(s, office, values["code"])
        if values["position"] is None:
            last = s.execute(select(func.max(Service.position)).where(Service.office_id == office.id)).scalar()
            values["position"] = 0 if last is None else last + 1
        service = Service(office_id=office.id)
        s.add(service)
        _write_service(s, service, values)
        configured(uow, office, actor, AuditAction.SERVICE_CREATED, now, target=f"service:{values['code']}",
                   after=catalog.audit_view(values), zone_id=values["zone_id"])
        return values["code"]


def _counters_of_other_zones(session: Session, service: Service, zone_id: int | None) -> list[int]:
    numbers = session.execute(select(Counter.number, Counter.zone_id).join(
        CounterService, CounterService.counter_id == Counter.id).where(CounterService.service_id == service.id))
    return [n for n, counter_zone in numbers if not catalog.serves_zone(counter_zone, zone_id)]


def _rename_on_displays(session: Session, office: Office, old: str, new: str) -> None:
    """Displays list the services they show by code: a renamed code stays on them."""
    for display in session.execute(select(Display).where(Display.office_id == office.id)).scalars():
        codes = [code.strip() for code in display.services.split(",") if code.strip()]
        if old in codes:
            display.services = ",".join(new if code == old else code for code in codes)


def update_service(db: Database, actor: Actor | None, office_slug: str, code: str, fields: dict, *,
                   now: datetime) -> str:
    """Change some fields of a service (a new `code` must be free; `booking` fields change
    only those given). Returns its code. Raises OfficeNotFound, ServiceNotFound,
    PermissionDenied (in the old and in the new zone), InvalidInput (also when a counter of
    another zone calls it), ZoneNotFound, AlreadyExists."""
    given = catalog.known(fields, catalog.SERVICE_FIELDS)
    with db.write() as uow:
        s = uow.session
        office = uow.lock_office_by_slug(office_slug)
        service = repository.service_by_prefix(s, office, code)
        _check(actor, Permission.CONFIGURE, office, scope(service.zone_id))
        before = catalog.service_values(service, _rule_of(s, service))
        values = _checked_service({**before, **given, "booking": _merged_booking(before["booking"],
                                                                                 given.get("booking"))},
                                  had_rule=before["booking"] is not None)
        _check(actor, Permission.CONFIGURE, office, scope(values["zone_id"]))
        _check_zone(s, office, values["zone_id"])
        if values["code"] != before["code"]:
            _code_free(s, office, values["code"])
        if values["position"] is None:
            values["position"] = before["position"]
        catalog.check_no_counters_of_other_zones(_counters_of_other_zones(s, service, values["zone_id"]))
        if values["code"] != before["code"]:
            _rename_on_displays(s, office, before["code"], values["code"])
        _write_service(s, service, values)
        configured(uow, office, actor, AuditAction.SERVICE_UPDATED, now, target=f"service:{values['code']}",
                   before=catalog.audit_view(before), after=catalog.audit_view(values), zone_id=values["zone_id"])
        return values["code"]


# --- Counters ---


def _links(session: Session, office: Office, counter_zone: int | None, order: dict[str, int]) -> dict[int, int]:
    """{service id: order} of the codes, each a service of the office the counter may call."""
    services = {row.prefix: row for row in session.execute(select(Service).where(
        Service.office_id == office.id, Service.prefix.in_(list(order)))).scalars()}
    links = {}
    for code, position in order.items():
        service = services.get(code)
        if service is None:
            raise errors.ServiceNotFound(service=code)
        catalog.check_serves(counter_zone, service.zone_id, code)
        links[service.id] = position
    return links


def _set_links(counter: Counter, links: dict[int, int]) -> None:
    """Replace the counter's matrix: keep the rows of services it still calls."""
    for link in list(counter.links):
        if link.service_id in links:
            link.order = links.pop(link.service_id)
        else:
            counter.links.remove(link)
    counter.links.extend(CounterService(service_id=sid, order=order) for sid, order in links.items())


def _number_free(session: Session, office: Office, number: int) -> None:
    if session.execute(select(Counter.id).where(Counter.office_id == office.id, Counter.number == number)).first():
        raise errors.AlreadyExists(value=number, what="number")


def _write_counter(session: Session, office: Office, counter: Counter, values: dict[str, Any]) -> None:
    links = _links(session, office, values["zone_id"], values["services"])
    counter.number, counter.name, counter.zone_id = values["number"], values["name"], values["zone_id"]
    counter.priority_first, counter.state = values["priority_first"], CounterState(values["state"])
    _set_links(counter, links)
    session.add(counter)
    session.flush()


def add_counter(db: Database, actor: Actor | None, office_slug: str, fields: dict, *, now: datetime) -> int:
    """Add a counter (closed unless `state` says otherwise) with the services it calls.
    Returns its id. Raises OfficeNotFound, PermissionDenied, InvalidInput (also a service of
    another zone), ZoneNotFound, ServiceNotFound, AlreadyExists (the number is taken)."""
    given = catalog.known(fields, catalog.COUNTER_FIELDS)
    with db.write() as uow:
        s = uow.session
        office = uow.lock_office_by_slug(office_slug)
        _check(actor, Permission.CONFIGURE, office)
        values = catalog.counter({**catalog.COUNTER_DEFAULTS, **given})
        _check(actor, Permission.CONFIGURE, office, scope(values["zone_id"]))
        _check_zone(s, office, values["zone_id"])
        _number_free(s, office, values["number"])
        counter = Counter(office_id=office.id)
        _write_counter(s, office, counter, values)
        configured(uow, office, actor, AuditAction.COUNTER_CREATED, now, target=f"counter:{values['number']}",
                   after=values, zone_id=values["zone_id"])
        return counter.id


def _counter_values(counter: Counter) -> dict[str, Any]:
    return catalog.counter_values(counter, {link.service.prefix: link.order for link in counter.links})


def update_counter(db: Database, actor: Actor | None, counter_id: int, fields: dict, *, now: datetime) -> int:
    """Change some fields of a counter (`services` replaces its whole matrix). Changing only
    its `state` needs the OPERATE permission (a supervisor), anything else CONFIGURE in the
    old and the new zone. Returns its id. Raises CounterNotFound, PermissionDenied, and as
    add_counter."""
    given = catalog.known(fields, catalog.COUNTER_FIELDS)
    with db.write() as uow:
        s = uow.session
        counter = s.get(Counter, counter_id)
        if counter is None:
            raise errors.CounterNotFound(counter=counter_id)
        office = uow.lock_office(counter.office_id)
        s.refresh(counter)
        only_state = set(given) == {"state"}
        if only_state:
            _check(actor, Permission.OPERATE, office, counter.zone_id)
        else:
            _check(actor, Permission.CONFIGURE, office, scope(counter.zone_id))
        before = _counter_values(counter)
        values = catalog.counter({**before, **given})
        if not only_state:
            _check(actor, Permission.CONFIGURE, office, scope(values["zone_id"]))
        _check_zone(s, office, values["zone_id"])
        if values["number"] != before["number"]:
            _number_free(s, office, values["number"])
        _write_counter(s, office, counter, values)
        _announce(uow, office, counter, actor, before, values, now)
        return counter.id


def _announce(uow: UnitOfWork, office: Office, counter: Counter, actor: Actor | None, before: dict,
              after: dict, now: datetime) -> None:
    """A new state reaches the counter's screens (counter.updated, as a clerk's own change
    does); any other change makes every screen resync (office.configured). One audit entry."""
    target = f"counter:{after['number']}"
    configuration_changed = {k: v for k, v in before.items() if k != "state"} != \
        {k: v for k, v in after.items() if k != "state"}
    if before["state"] != after["state"]:
        counter_event(uow, office, counter, now, actor)
    if configuration_changed:
        configured(uow, office, actor, AuditAction.COUNTER_UPDATED, now, target=target, before=before,
                   after=after, zone_id=after["zone_id"])
    else:
        record(uow, actor, AuditAction.COUNTER_UPDATED, now, office_id=office.id, zone_id=after["zone_id"],
               target=target, before=before, after=after)
