"""An office as one document (the format `queueapp office import` reads): its settings,
zones, services with booking rules and service standard, counters with their services,
weekly hours, holidays, devices and staff (never passwords). Zones are named, not numbered,
so a document copies an office into another database."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from .. import repository
from ..db import Database
from ..domain.errors import OfficeNotFound
from ..domain.setup import TIMEZONE_NAMES
from ..models import (BookingRule, Counter, CounterService, Display, Holiday, Kiosk, OpeningHours, Service,
                      StaffUser, Zone)

OFFICE_FIELDS = ("name", "address", "running_text", "max_calls", "finish_on_call_next", "contact",
                 "complaint_channel", "pledge", "pledge_on_display")
SERVICE_FIELDS = ("name_en", "active", "daily_quota", "expected_minutes", "target_wait_minutes", "position",
                  "requirements", "completion_time", "fee", "product", "procedure", "complaints")
BOOKING_FIELDS = ("bookable", "slot_minutes", "capacity", "requires_nik", "online_join", "online_daily_quota",
                  "notice_days", "horizon_days", "checkin_before_minutes", "checkin_after_minutes")


def staff_count(db: Database) -> int:
    """How many staff accounts exist (none: the first run, the owner is still to be made)."""
    with db.read() as s:
        return s.execute(select(func.count()).select_from(StaffUser)).scalar_one()


def office_document(db: Database, slug: str) -> dict[str, Any] | None:
    """The office's document, or None when there is no such office."""
    with db.read() as s:
        try:
            office = repository.office_by_slug(s, slug)
        except OfficeNotFound:
            return None
        zones = {z.id: z.name for z in s.execute(select(Zone).where(Zone.office_id == office.id)
                                                 .order_by(Zone.position, Zone.name)).scalars()}
        services = s.execute(select(Service).where(Service.office_id == office.id)
                             .order_by(Service.position, Service.prefix)).scalars().all()
        rules = {r.service_id: r for r in s.execute(select(BookingRule).where(
            BookingRule.service_id.in_([sv.id for sv in services]))).scalars()}
        codes = {sv.id: sv.prefix for sv in services}
        counters = s.execute(select(Counter).where(Counter.office_id == office.id).order_by(Counter.number)).scalars()
        links = s.execute(select(CounterService).join(Counter).where(Counter.office_id == office.id)).scalars()
        matrix: dict[int, dict[str, int]] = {}
        for link in links:
            matrix.setdefault(link.counter_id, {})[codes[link.service_id]] = link.order
        document = {
            "office": {"slug": office.slug, "timezone": TIMEZONE_NAMES.get(office.timezone, office.timezone),
                       **{f: getattr(office, f) for f in OFFICE_FIELDS}},
            "zones": [{"name": z.name, "agency": z.agency} for z in s.execute(
                select(Zone).where(Zone.office_id == office.id).order_by(Zone.position, Zone.name)).scalars()],
            "services": [_service(sv, rules.get(sv.id), zones) for sv in services],
            "counters": [{"number": c.number, "name": c.name, "zone": zones.get(c.zone_id),
                          "services": matrix.get(c.id, {}), "priority_first": c.priority_first,
                          "state": c.state.value} for c in counters],
            "hours": [{"weekday": h.weekday, "opens": h.opens, "closes": h.closes, "breaks": h.breaks,
                       "walk_ins": h.walk_ins, "appointments": h.appointments} for h in s.execute(
                select(OpeningHours).where(OpeningHours.office_id == office.id)
                .order_by(OpeningHours.weekday, OpeningHours.opens)).scalars()],
            "holidays": [{"date": h.day.isoformat(), "name": h.name} for h in s.execute(
                select(Holiday).where(Holiday.office_id == office.id).order_by(Holiday.day)).scalars()],
            "kiosks": [{"name": k.name, "paper": k.paper, "printer": k.printer, "zone": zones.get(k.zone_id)}
                       for k in s.execute(select(Kiosk).where(Kiosk.office_id == office.id)
                                          .order_by(Kiosk.name)).scalars()],
            "displays": [{"name": d.name, "zone": zones.get(d.zone_id),
                          "services": [c for c in d.services.split(",") if c], "language": d.language,
                          "repeat": d.repeat} for d in s.execute(
                select(Display).where(Display.office_id == office.id).order_by(Display.name)).scalars()],
            "staff": [{"username": u.username, "display_name": u.display_name, "role": u.role.value,
                       "zone": zones.get(u.zone_id), "active": u.active} for u in s.execute(
                select(StaffUser).where(StaffUser.office_id == office.id).order_by(StaffUser.username)).scalars()],
        }
        return document


def _service(service: Service, rule: BookingRule | None, zones: dict[int, str]) -> dict[str, Any]:
    view = {"code": service.prefix, "name": service.name_id, "zone": zones.get(service.zone_id),
            **{f: getattr(service, f) for f in SERVICE_FIELDS}}
    if rule is not None:
        view["booking"] = {f: getattr(rule, f) for f in BOOKING_FIELDS}
    return view

