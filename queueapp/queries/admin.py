"""Read side of administration: the office's head every admin page shows (title,
navigation, zone choices); the office list, first run, an office's settings and
checklist, its zones, weekly hours and devices."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import repository
from ..db import Database
from ..domain.errors import DeviceNotFound, ZoneNotFound
from ..domain.hours import parse_breaks
from ..domain.permissions import Actor, Permission, can, require
from ..domain.setup import TIMEZONE_NAMES
from ..models import Counter, Display, Kiosk, Office, OpeningHours, Service, StaffUser, Zone


@dataclass(frozen=True)
class OfficeHead:
    id: int
    slug: str
    name: str
    timezone: str
    # "WIB", "WITA" or "WIT"
    timezone_name: str
    # (id, name) of each zone, in order
    zones: tuple[tuple[int, str], ...]


def office_head(db: Database, slug: str) -> OfficeHead:
    """Raises OfficeNotFound."""
    with db.read() as s:
        office = repository.office_by_slug(s, slug)
        zones = s.execute(select(Zone.id, Zone.name).where(Zone.office_id == office.id)
                          .order_by(Zone.position, Zone.name)).all()
        return OfficeHead(office.id, office.slug, office.name, office.timezone,
                          TIMEZONE_NAMES.get(office.timezone, office.timezone), tuple(map(tuple, zones)))


# --- The office list, first run and landing ---


def has_staff(db: Database) -> bool:
    """Whether any staff account exists (none: the first run, the owner is still to be made)."""
    with db.read() as s:
        return s.execute(select(StaffUser.id).limit(1)).first() is not None


def office_list(db: Database, actor: Actor) -> list[dict]:
    """The offices the member administers: every office for an owner, else their own."""
    with db.read() as s:
        stmt = select(Office).order_by(Office.name)
        if actor.office_id is not None:
            stmt = stmt.where(Office.id == actor.office_id)
        offices = [o for o in s.execute(stmt).scalars() if can(actor, Permission.OPERATE, o.id)]
        return [{"slug": o.slug, "name": o.name, "address": o.address,
                 "timezone_name": TIMEZONE_NAMES.get(o.timezone, o.timezone), "missing": _missing(s, o.id)}
                for o in offices]


# --- One office's settings and checklist ---

SETTINGS = ("name", "address", "timezone", "running_text", "max_calls", "finish_on_call_next", "contact",
            "complaint_channel", "closed", "pledge", "pledge_on_display")


def _office(s: Session, slug: str, actor: Actor | None) -> Office:
    """The office, when the member may see its administration (OPERATE). Raises
    OfficeNotFound, PermissionDenied."""
    office = repository.office_by_slug(s, slug)
    if actor is not None:
        require(actor, Permission.OPERATE, office.id)
    return office


def office_config(db: Database, slug: str, actor: Actor | None = None) -> dict:
    """The office's settings as the API and the settings form show them."""
    with db.read() as s:
        office = _office(s, slug, actor)
        return {"slug": office.slug, **{name: getattr(office, name) for name in SETTINGS},
                "timezone_name": TIMEZONE_NAMES.get(office.timezone, office.timezone),
                "logo_type": office.logo_type or None, "zones": _zones(s, office.id)}


def logo(db: Database, slug: str) -> tuple[bytes, str] | None:
    """The office's logo and its content type, or None."""
    with db.read() as s:
        office = repository.office_by_slug(s, slug)
        data = s.execute(select(Office.logo).where(Office.id == office.id)).scalar()
        return (data, office.logo_type) if data else None


# What a new office needs before it issues tickets, in the order to set it up.
CHECKLIST = (("services", Service), ("counters", Counter), ("hours", OpeningHours), ("staff", StaffUser),
             ("devices", Kiosk))


def _counts(s: Session, office_id: int) -> dict[str, int]:
    counts = {name: s.execute(select(func.count()).select_from(model).where(model.office_id == office_id))
              .scalar_one() for name, model in CHECKLIST}
    counts["devices"] += s.execute(select(func.count()).select_from(Display)
                                   .where(Display.office_id == office_id)).scalar_one()
    return counts


def _missing(s: Session, office_id: int) -> list[str]:
    return [name for name, count in _counts(s, office_id).items() if not count]


def checklist(db: Database, slug: str, actor: Actor | None = None) -> list[dict]:
    """Each step of setting up an office (services, counters, hours, staff, devices): how
    many it has and whether it is done."""
    with db.read() as s:
        office = _office(s, slug, actor)
        return [{"item": name, "count": count, "done": count > 0}
                for name, count in _counts(s, office.id).items()]


# --- Zones and weekly hours ---


def _zones(s: Session, office_id: int) -> list[dict]:
    rows = s.execute(select(Zone).where(Zone.office_id == office_id).order_by(Zone.position, Zone.name)).scalars()
    return [{"id": z.id, "name": z.name, "agency": z.agency, "position": z.position} for z in rows]


def zones(db: Database, slug: str, actor: Actor | None = None) -> list[dict]:
    with db.read() as s:
        return _zones(s, _office(s, slug, actor).id)


def zone_office(db: Database, zone_id: int) -> str:
    """The slug of the zone's office. Raises ZoneNotFound."""
    with db.read() as s:
        slug = s.execute(select(Office.slug).join(Zone, Zone.office_id == Office.id)
                         .where(Zone.id == zone_id)).scalar()
        if slug is None:
            raise ZoneNotFound(zone=zone_id)
        return slug


def hours(db: Database, slug: str, actor: Actor | None = None) -> list[dict]:
    """The weekly periods, by weekday then opening time, as the API takes them back."""
    with db.read() as s:
        office = _office(s, slug, actor)
        rows = s.execute(select(OpeningHours).where(OpeningHours.office_id == office.id)
                         .order_by(OpeningHours.weekday, OpeningHours.opens)).scalars()
        return [{"weekday": r.weekday, "opens": r.opens, "closes": r.closes,
                 "breaks": [list(pair) for pair in parse_breaks(r.breaks)],
                 "walk_ins": r.walk_ins, "appointments": r.appointments} for r in rows]


# --- Devices ---


def _kiosk(row: Kiosk) -> dict:
    return {"id": row.id, "name": row.name, "paper": row.paper, "printer": row.printer, "zone_id": row.zone_id,
            "paired": row.token_hash is not None}


def _display(row: Display) -> dict:
    return {"id": row.id, "name": row.name, "zone_id": row.zone_id, "language": row.language,
            "repeat": row.repeat, "calls": row.calls, "services": [code for code in row.services.split(",") if code]}


DEVICE_VIEWS = {"kiosk": (Kiosk, _kiosk), "display": (Display, _display)}


def devices(db: Database, slug: str, actor: Actor | None = None) -> dict[str, list[dict]]:
    """The office's kiosks and displays (a display's services as a list of codes)."""
    with db.read() as s:
        office = _office(s, slug, actor)
        return {f"{kind}s": [view(row) for row in s.execute(
                    select(model).where(model.office_id == office.id).order_by(model.name)).scalars()]
                for kind, (model, view) in DEVICE_VIEWS.items()}


def device(db: Database, kind: str, device_id: int, actor: Actor | None = None) -> dict:
    """One kiosk or display ("kiosk", "display"). Raises DeviceNotFound, PermissionDenied."""
    model, view = DEVICE_VIEWS[kind]
    with db.read() as s:
        row = s.get(model, device_id)
        if row is None:
            raise DeviceNotFound(device=device_id)
        if actor is not None:
            require(actor, Permission.OPERATE, row.office_id)
        return view(row)
