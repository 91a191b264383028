"""Office use cases: create an office, change its settings and logo, its zones and its
weekly hours. Each is one transaction on the locked office, checked against the
permission table, validated by domain.setup, and written to the audit log (with one
`office.configured` event when screens show the change)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from ..db import Database
from ..domain import setup, standards
from ..domain.audit import AuditAction
from ..domain.errors import N_, AlreadyExists, InvalidInput, ZoneNotFound
from ..domain.permissions import WHOLE, Actor, Permission, require
from ..models import Office, OpeningHours, Zone
from .audit import configured

MAX_LOGO_BYTES = 300 * 1024
# Magic bytes of the two image types a logo may have.
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def flag(value, name: str) -> bool:
    """A yes/no field: only true or false."""
    if not isinstance(value, bool):
        raise InvalidInput(N_("%(field)s must be true or false"), field=name)
    return value


# Each field of the office settings and its check.
OFFICE_FIELDS = {
    "name": lambda v: setup.text(v, "name", max_length=200, required=True),
    "address": lambda v: setup.text(v, "address", max_length=1000),
    "timezone": setup.timezone,
    "running_text": lambda v: setup.text(v, "running_text", max_length=1000),
    "max_calls": lambda v: setup.whole_number(v, "max_calls", minimum=1, maximum=10),
    "finish_on_call_next": lambda v: flag(v, "finish_on_call_next"),
    "contact": lambda v: setup.text(v, "contact", max_length=500),
    "complaint_channel": lambda v: setup.text(v, "complaint_channel", max_length=500),
    "closed": lambda v: flag(v, "closed"),
    "pledge": lambda v: setup.text(v, "pledge", max_length=standards.PLEDGE_LENGTH),
    "pledge_on_display": lambda v: flag(v, "pledge_on_display"),
}
ZONE_FIELDS = {
    "name": lambda v: setup.text(v, "name", max_length=100, required=True),
    "agency": lambda v: setup.text(v, "agency", max_length=200),
    "position": lambda v: setup.whole_number(v, "position", minimum=0, maximum=1000),
}


def checked(fields: dict[str, Any], rules: dict) -> dict[str, Any]:
    """Every field checked by its rule; an unknown field is refused."""
    if not isinstance(fields, dict):
        raise InvalidInput(N_("the changes must be an object of fields"), field="fields")
    unknown = sorted(set(fields) - set(rules))
    if unknown:
        raise InvalidInput(N_("%(field)s cannot be changed here"), field=unknown[0])
    return {name: rules[name](value) for name, value in fields.items()}


def state_of(row, names) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def create_office(db: Database, actor: Actor | None, *, slug: str, name: str, timezone: str,
                  address: str = "", now: datetime) -> str:
    """A new office, with no services, counters or hours yet (its checklist says what is
    missing). Owner only. Returns its slug. Raises RoleNotAllowed, InvalidInput (slug,
    time zone, name), AlreadyExists (slug)."""
    if actor is not None:
        require(actor, Permission.CREATE_OFFICE, None)
    values = {"slug": setup.office_slug(slug), "name": OFFICE_FIELDS["name"](name),
              "timezone": setup.timezone(timezone), "address": OFFICE_FIELDS["address"](address)}
    with db.write() as uow:
        s = uow.session
        if s.execute(select(Office.id).where(Office.slug == values["slug"])).first():
            raise AlreadyExists(value=values["slug"], what="slug")
        office = Office(**values)
        s.add(office)
        s.flush()
        office = uow.lock_office(office.id)
        configured(uow, office, actor, AuditAction.OFFICE_CREATED, now, target=f"office:{office.slug}",
                   after=values)
        return office.slug


def update_office(db: Database, actor: Actor | None, office_slug: str, fields: dict, *, now: datetime) -> None:
    """Change the office's settings (OFFICE_FIELDS). Closing or reopening by hand needs
    OPERATE; anything else CONFIGURE of the whole office. Raises OfficeNotFound,
    PermissionDenied, InvalidInput."""
    values = checked(fields, OFFICE_FIELDS)
    with db.write() as uow:
        office = uow.lock_office_by_slug(office_slug)
        if actor is not None:
            permission = Permission.OPERATE if set(values) <= {"closed"} else Permission.CONFIGURE
            require(actor, permission, office.id, WHOLE)
        before = state_of(office, values)
        for name, value in values.items():
            setattr(office, name, value)
        configured(uow, office, actor, AuditAction.OFFICE_UPDATED, now, target=f"office:{office.slug}",
                   before=before, after=values)


def logo_type(data: bytes) -> str:
    """The content type a logo's bytes show; InvalidInput unless PNG or JPEG up to 300 KB."""
    if len(data) > MAX_LOGO_BYTES:
        raise InvalidInput(N_("the logo is larger than %(maximum)s KB"), field="logo", maximum=MAX_LOGO_BYTES // 1024)
    found = next((kind for magic, kind in LOGO_TYPES.items() if data.startswith(magic)), None)
    if found is None:
        raise InvalidInput(N_("the logo must be a PNG or JPEG image"), field="logo")
    return found


def set_logo(db: Database, actor: Actor | None, office_slug: str, data: bytes | None, content_type: str = "",
             *, now: datetime) -> None:
    """Replace the office's logo (None removes it). The type comes from the bytes, not
    from `content_type`. Raises OfficeNotFound, PermissionDenied, InvalidInput."""
    kind = logo_type(data) if data is not None else ""
    with db.write() as uow:
        office = uow.lock_office_by_slug(office_slug)
        if actor is not None:
            require(actor, Permission.CONFIGURE, office.id, WHOLE)
        before = {"logo_type": office.logo_type, "logo_bytes": len(office.logo or b"")}
        office.logo, office.logo_type = data, kind
        configured(uow, office, actor, AuditAction.OFFICE_UPDATED, now, target=f"office:{office.slug}",
                   before=before, after={"logo_type": kind, "logo_bytes": len(data or b"")})


def _zone_name_free(uow, office_id: int, name: str, zone_id: int | None = None) -> None:
    taken = uow.session.execute(select(Zone.id).where(Zone.office_id == office_id, Zone.name == name)).scalar()
    if taken is not None and taken != zone_id:
        raise AlreadyExists(value=name, what="name")


def add_zone(db: Database, actor: Actor | None, office_slug: str, *, name: str, agency: str = "",
             now: datetime) -> int:
    """A new zone (an agency of an MPP, a floor), last in order. Returns its id. Raises
    OfficeNotFound, PermissionDenied, InvalidInput, AlreadyExists (name)."""
    values = checked({"name": name, "agency": agency}, ZONE_FIELDS)
    with db.write() as uow:
        office = uow.lock_office_by_slug(office_slug)
        if actor is not None:
            require(actor, Permission.CONFIGURE, office.id, WHOLE)
        _zone_name_free(uow, office.id, values["name"])
        last = uow.session.execute(select(func.max(Zone.position)).where(Zone.office_id == office.id)).scalar()
        zone = Zone(office_id=office.id, position=(last or 0) + 1, **values)
        uow.session.add(zone)
        uow.session.flush()
        configured(uow, office, actor, AuditAction.ZONE_CREATED, now, target=f"zone:{zone.name}",
                   after=values, zone_id=zone.id)
        return zone.id


def update_zone(db: Database, actor: Actor | None, zone_id: int, fields: dict, *, now: datetime) -> None:
    """Rename a zone, change its agency or position. Raises ZoneNotFound,
    PermissionDenied, InvalidInput, AlreadyExists (name)."""
    values = checked(fields, ZONE_FIELDS)
    with db.write() as uow:
        office_id = uow.session.execute(select(Zone.office_id).where(Zone.id == zone_id)).scalar()
        if office_id is None:
            raise ZoneNotFound(zone=zone_id)
        office = uow.lock_office(office_id)
        if actor is not None:
            require(actor, Permission.CONFIGURE, office.id, WHOLE)
        zone = uow.session.get(Zone, zone_id)
        if "name" in values:
            _zone_name_free(uow, office.id, values["name"], zone.id)
        before = state_of(zone, values)
        for name, value in values.items():
            setattr(zone, name, value)
        configured(uow, office, actor, AuditAction.ZONE_UPDATED, now, target=f"zone:{zone.name}",
                   before=before, after=values, zone_id=zone.id)


def period_text(row: OpeningHours | setup.Period) -> str:
    """One period as the audit log shows it: "1 08:00-15:00 (11:30-13:00) walk-ins, appointments"."""
    breaks = row.breaks if isinstance(row, OpeningHours) else row.breaks_text
    kinds = ", ".join(kind for kind, on in (("walk-ins", row.walk_ins), ("appointments", row.appointments)) if on)
    return f"{row.weekday} {row.opens}-{row.closes}" + (f" ({breaks})" if breaks else "") + f" {kinds}"


def set_hours(db: Database, actor: Actor | None, office_slug: str, periods: list[setup.Period], *,
              now: datetime) -> None:
    """Replace the office's weekly hours with `periods` (checked by domain.setup.period);
    two periods of a day that serve the same visitors must not overlap. Raises
    OfficeNotFound, PermissionDenied, InvalidInput (nothing is written then)."""
    ordered = setup.week(list(periods))
    for first, second in zip(ordered, ordered[1:]):
        if (first.weekday, first.opens, first.closes) == (second.weekday, second.opens, second.closes):
            # One row per period: a period serving both kinds of visitor says so itself.
            raise InvalidInput(N_("day %(weekday)s: %(first)s overlaps %(second)s"), field="hours",
                               weekday=first.weekday, first=f"{first.opens}-{first.closes}",
                               second=f"{second.opens}-{second.closes}")
    with db.write() as uow:
        office = uow.lock_office_by_slug(office_slug)
        if actor is not None:
            require(actor, Permission.CONFIGURE, office.id, WHOLE)
        s = uow.session
        old = s.execute(select(OpeningHours).where(OpeningHours.office_id == office.id)
                        .order_by(OpeningHours.weekday, OpeningHours.opens)).scalars().all()
        before = {"hours": [period_text(row) for row in old]}
        s.execute(delete(OpeningHours).where(OpeningHours.office_id == office.id))
        s.add_all([OpeningHours(office_id=office.id, weekday=p.weekday, opens=p.opens, closes=p.closes,
                                breaks=p.breaks_text, walk_ins=p.walk_ins, appointments=p.appointments)
                   for p in ordered])
        configured(uow, office, actor, AuditAction.HOURS_SET, now, target=f"office:{office.slug}",
                   before=before, after={"hours": [period_text(p) for p in ordered]})
