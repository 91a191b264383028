"""Read side of the supervisor's live dashboard: one office (or one zone of it) now, as
plain dicts: per service, per counter, today's totals, arrivals per hour, and the alerts
of domain.alerts. The page, GET /api/v1/offices/<slug>/dashboard and the alert check
all read it here."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, literal, select, tuple_
from sqlalchemy.orm import Session, selectinload

from .. import repository
from ..db import Database
from ..domain import alerts, errors
from ..domain.events import EventType
from ..domain.numbering import business_date
from ..domain.permissions import DEPLOYMENT_WIDE, Actor, Permission, require
from ..domain.states import AT_COUNTER, CALLABLE, CounterState, TicketStatus
from ..models import Counter, Kiosk, Office, StaffUser, Ticket, TicketEvent
from . import eta as eta_queries
from .boards import services_overview
from .tickets import service_brief

S = TicketStatus

# Tickets of the day per service and status, and the oldest of each line, in one pass.
_BY_STATUS = (select(Ticket.service_id, Ticket.status, func.count(), func.min(Ticket.queued_at))
              .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"))
              .group_by(Ticket.service_id, Ticket.status))
# Per counter: tickets finished there today, and the last time one left it (done or no-show).
_AT_COUNTERS = (select(Ticket.counter_id, func.sum(case((Ticket.status == S.DONE, 1), else_=0)),
                       func.max(Ticket.finished_at))
                .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"),
                       Ticket.counter_id.is_not(None), Ticket.status.in_([S.DONE, S.NO_SHOW]))
                .group_by(Ticket.counter_id))
# The lines of the day, for the supervisor's actions on one ticket (move, cancel).
_WAITING = (select(Ticket.id, Ticket.code, Ticket.service_id, Ticket.status, Ticket.queued_at, Ticket.priority)
            .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"),
                   Ticket.status.in_(list(CALLABLE | {S.ON_HOLD})))
            .order_by(Ticket.queued_at, Ticket.id).limit(bindparam("limit")))
WAITING_LISTED = 500


def visible_office(session: Session, actor: Actor, slug: str) -> Office:
    """The office of the URL when the actor may watch it: another office is not found
    (404, its existence is not the actor's business), a role without OPERATE is refused (403)."""
    office = session.execute(select(Office).where(Office.slug == slug).options(
        selectinload(Office.services), selectinload(Office.counters).selectinload(Counter.links))
    ).scalar_one_or_none()
    if office is None or (actor.role not in DEPLOYMENT_WIDE and actor.office_id != office.id):
        raise errors.OfficeNotFound(office=slug)
    require(actor, Permission.OPERATE, office.id)
    return office


def in_view(actor: Actor | None, zone_id: int | None) -> bool:
    """Whether a service or counter is on the actor's dashboard: a member of one zone
    (agency) watches that zone's only; None (the alert check) watches the whole office."""
    return actor is None or actor.zone_id is None or actor.zone_id == zone_id


def _operate(actor: Actor, office: Office, zone_id: int | None) -> None:
    require(actor, Permission.OPERATE, office.id, zone_id)
    if not in_view(actor, zone_id):
        raise errors.OutsideZone("outside your zone", permission=Permission.OPERATE.value)


def _latest_events(session: Session, since: datetime, counter_ids: list[int]) -> tuple[dict, dict]:
    """Per counter, from today's log: when its state last changed, and its clerk: who made
    the later of that change and its latest call (counters have no log-in of their own).
    Each maximum reads the (counter, type, at) index alone."""
    if not counter_ids:
        return {}, {}
    latest: dict[str, dict[int, datetime]] = {}
    for type_ in (EventType.COUNTER_UPDATED.value, EventType.TICKET_CALLED.value):
        latest[type_] = dict(session.execute(select(TicketEvent.counter_id, func.max(TicketEvent.at)).where(
            TicketEvent.counter_id.in_(counter_ids), TicketEvent.type == type_, TicketEvent.at >= since)
            .group_by(TicketEvent.counter_id)).all())
    state_since = latest[EventType.COUNTER_UPDATED.value]
    last_acts = [(counter_id, type_, at) for type_, found in latest.items() for counter_id, at in found.items()]
    staff: dict[int, tuple[datetime, dict]] = {}
    if last_acts:
        for counter_id, at, staff_id, name, username in session.execute(
                select(TicketEvent.counter_id, TicketEvent.at, StaffUser.id, StaffUser.display_name, StaffUser.username)
                .join(StaffUser, StaffUser.id == TicketEvent.staff_id)
                .where(tuple_(TicketEvent.counter_id, TicketEvent.type, TicketEvent.at).in_(last_acts))):
            if counter_id not in staff or at > staff[counter_id][0]:
                staff[counter_id] = (at, {"id": staff_id, "name": name or username})
    return state_since, {counter_id: member for counter_id, (_, member) in staff.items()}


def _seconds(since: datetime | None, now: datetime) -> int | None:
    return None if since is None else max(0, int((now - since).total_seconds()))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def build(session: Session, office: Office, actor: Actor | None, now: datetime, *,
          pause_alert_minutes: int, figures_only: bool = False) -> dict:
    """The dashboard of `office` as `actor` may see it (a member of one zone: that zone's
    services and counters; None: the whole office), valid at the office's seq.
    `figures_only`: without the lists of waiting tickets and arrivals (the alert check)."""
    day = business_date(now, office.timezone)
    day_start = repository.day_bounds(day, office.timezone)[0]

    services = [s for s in office.services if in_view(actor, s.zone_id)]
    counters = [c for c in office.counters if in_view(actor, c.zone_id)]
    service_ids = {s.id for s in services}
    counts: dict[int, dict[TicketStatus, int]] = {}
    oldest: dict[int, datetime] = {}
    for service_id, status, n, first_queued in session.execute(_BY_STATUS, {"office_id": office.id, "day": day}):
        counts.setdefault(service_id, {})[status] = n
        if status in CALLABLE and first_queued is not None:
            oldest[service_id] = min(first_queued, oldest.get(service_id, first_queued))
    board = {row["code"]: row for row in services_overview(session, office, now, only=service_ids)}
    service_rows, figures = [], []
    # "What if I open one more counter now" (queries.eta.one_more_counter): snapshots only.
    one_more = {} if figures_only else eta_queries.one_more_counter(session, office, service_ids)
    for service in services:
        n = counts.get(service.id, {})
        longest = _seconds(oldest.get(service.id), now)
        figures.append(alerts.ServiceFigure(service.prefix, service.target_wait_minutes, oldest.get(service.id)))
        service_rows.append({
            **service_brief(service), "zone_id": service.zone_id, "active": service.active,
            "waiting": board[service.prefix]["waiting"],
            "longest_wait_seconds": longest,
            "oldest_queued_at": _iso(oldest.get(service.id)),
            "target_wait_minutes": service.target_wait_minutes,
            "breach": longest is not None and service.target_wait_minutes > 0
            and longest > service.target_wait_minutes * 60,
            "eta_minutes": board[service.prefix]["eta_minutes"],
            "counters_open": board[service.prefix]["counters_open"],
            "eta_one_more_minutes": one_more[service.id].minutes if service.id in one_more else None,
            "issued": sum(n.values()),
            "served": n.get(S.DONE, 0), "no_show": n.get(S.NO_SHOW, 0),
        })
    counter_rows = _counters(session, office, counters, now, day, day_start)
    found = alerts.evaluate(figures, [alerts.CounterFigure(r["number"], r["state"], _parse(r["state_since"]))
                                      for r in counter_rows], now, pause_alert_minutes,
                            kiosks=_kiosk_figures(session, office, actor))
    paused_long = {a.subject for a in found if a.kind == alerts.AlertKind.COUNTER_PAUSED}
    for row in counter_rows:
        row["pause_breach"] = str(row["number"]) in paused_long
    return {
        "office": {"slug": office.slug, "name": office.name, "timezone": office.timezone},
        "zone_id": actor.zone_id if actor else None,
        "seq": office.seq,
        "now": now.isoformat(),
        "business_date": day.isoformat(),
        "pause_alert_minutes": pause_alert_minutes,
        "services": service_rows,
        "counters": counter_rows,
        "totals": _totals(counts, service_ids),
        "arrivals_by_hour": [] if figures_only else _arrivals(session, office, day, service_ids),
        "hour_now": now.astimezone(ZoneInfo(office.timezone)).hour,
        "alerts": [alert.as_dict() for alert in found],
        "tickets": [] if figures_only else _waiting(session, office, day, service_ids),
    }


def _kiosk_figures(session: Session, office: Office, actor: Actor | None) -> list[alerts.KioskFigure]:
    """The printers of the office's kiosks (a zone member sees its zone's and the shared ones)."""
    rows = session.execute(select(Kiosk.name, Kiosk.zone_id, Kiosk.printer_state, Kiosk.printer_checked_at)
                           .where(Kiosk.office_id == office.id))
    return [alerts.KioskFigure(name, state, checked) for name, zone_id, state, checked in rows
            if zone_id is None or in_view(actor, zone_id)]


def _waiting(session: Session, office: Office, day, service_ids: set[int]) -> list[dict]:
    codes = {s.id: s.prefix for s in office.services}
    return [{"id": id_, "number": code, "service": codes[service_id], "status": status.value,
             "queued_at": queued_at.isoformat(), "priority": priority.value if priority else None}
            for id_, code, service_id, status, queued_at, priority in session.execute(
                _WAITING, {"office_id": office.id, "day": day, "limit": WAITING_LISTED}) if service_id in service_ids]


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _counters(session: Session, office: Office, counters: list[Counter], now: datetime, day,
              day_start: datetime) -> list[dict]:
    ids = [c.id for c in counters]
    current = {t.counter_id: t for t in session.execute(select(Ticket).where(
        Ticket.counter_id.in_(ids), Ticket.status.in_(list(AT_COUNTER)))).scalars()} if ids else {}
    finished = {counter_id: (served, last) for counter_id, served, last in
                session.execute(_AT_COUNTERS, {"office_id": office.id, "day": day})}
    state_since, staff = _latest_events(session, day_start, ids)
    codes = {s.id: s.prefix for s in office.services}
    rows = []
    for counter in counters:
        ticket = current.get(counter.id)
        served, last_finish = finished.get(counter.id, (0, None))
        since = state_since.get(counter.id)
        idle_since = None
        if counter.state == CounterState.OPEN and ticket is None:
            # Idle since the last citizen left, or since it opened when nobody came yet.
            idle_since = max([m for m in (last_finish, since) if m is not None], default=None)
        rows.append({
            "id": counter.id, "number": counter.number, "name": counter.name, "zone_id": counter.zone_id,
            "state": counter.state.value, "state_since": _iso(since),
            "services": [codes[link.service_id] for link in counter.links],
            "clerk": staff.get(counter.id) if counter.state != CounterState.CLOSED else None,
            "current": None if ticket is None else {
                "id": ticket.id, "number": ticket.code, "status": ticket.status.value,
                "service": codes.get(ticket.service_id), "called_at": _iso(ticket.called_at),
                "started_at": _iso(ticket.started_at),
                "serving_seconds": _seconds(ticket.started_at or ticket.called_at, now)},
            "idle_since": _iso(idle_since), "idle_seconds": _seconds(idle_since, now),
            "served": int(served or 0),
        })
    return rows


def _totals(counts: dict[int, dict[TicketStatus, int]], service_ids: set[int]) -> dict:
    def total(*statuses):
        return sum(n.get(s, 0) for sid, n in counts.items() if sid in service_ids for s in statuses)
    return {"issued": sum(sum(n.values()) for sid, n in counts.items() if sid in service_ids),
            "waiting": total(*CALLABLE), "at_counters": total(*AT_COUNTER), "on_hold": total(S.ON_HOLD),
            "served": total(S.DONE), "no_show": total(S.NO_SHOW), "cancelled": total(S.CANCELLED)}


def _arrivals(session: Session, office: Office, day, service_ids: set[int]) -> list[int]:
    """Tickets issued in each local hour of the day (24 counts, hour 0 first), counted by the
    database: each ticket's hour is the number of local hour starts (after midnight) it is at
    or past, so no time-zone function of either database is needed."""
    if not service_ids:
        return [0] * 24
    midnight = repository.day_bounds(day, office.timezone)[0]
    zone = ZoneInfo(office.timezone)
    starts = [datetime.combine(day, time(hour), zone) for hour in range(1, 24)]
    hour = sum((case((Ticket.issued_at >= start, 1), else_=0) for start in starts), literal(0))
    hours = [0] * 24
    for index, n in session.execute(
            select(hour, func.count()).where(Ticket.office_id == office.id, Ticket.business_date == day,
                                             Ticket.service_id.in_(service_ids), Ticket.issued_at >= midnight)
            .group_by(hour)):
        hours[int(index)] += n
    return hours


def dashboard(db: Database, actor: Actor, slug: str, now: datetime, *, pause_alert_minutes: int) -> dict:
    """The dashboard snapshot. Raises OfficeNotFound (unknown, or another office),
    RoleNotAllowed (a role without OPERATE)."""
    with db.read() as session:
        office = visible_office(session, actor, slug)
        return build(session, office, actor, now, pause_alert_minutes=pause_alert_minutes)


def office_alerts(db: Database, now: datetime, *, pause_alert_minutes: int) -> dict[int, list[alerts.Alert]]:
    """The alerts standing at `now` in every office (whole offices), by office id: what the
    alert check (queueapp.alert_watch) compares with those already announced."""
    found = {}
    with db.read() as session:
        offices = session.execute(select(Office).options(
            selectinload(Office.services), selectinload(Office.counters).selectinload(Counter.links))).scalars()
        for office in offices:
            view = build(session, office, None, now, pause_alert_minutes=pause_alert_minutes, figures_only=True)
            found[office.id] = [alerts.Alert(alerts.AlertKind(a["kind"]), a["subject"], a["minutes"],
                                             a["limit_minutes"], a.get("detail", "")) for a in view["alerts"]]
    return found


def operable_counter(db: Database, actor: Actor, slug: str, counter_id: int) -> int:
    """A counter of this office that the actor may operate from the dashboard (OPERATE in
    its zone). Raises OfficeNotFound, RoleNotAllowed, CounterNotFound, OutsideZone."""
    with db.read() as session:
        office = visible_office(session, actor, slug)
        counter = session.get(Counter, counter_id)
        if counter is None or counter.office_id != office.id:
            raise errors.CounterNotFound(counter=counter_id)
        _operate(actor, office, counter.zone_id)
        return counter.id


def operable_ticket(db: Database, actor: Actor, slug: str, ticket_id: int) -> int:
    """A ticket of this office that the actor may move or cancel from the dashboard
    (OPERATE in its service's zone). Raises as operable_counter, TicketNotFound."""
    with db.read() as session:
        office = visible_office(session, actor, slug)
        found = session.execute(select(Ticket.office_id, Ticket.service_id).where(Ticket.id == ticket_id)).first()
        if found is None or found.office_id != office.id:
            raise errors.TicketNotFound(ticket=ticket_id)
        zone_id = next((s.zone_id for s in office.services if s.id == found.service_id), None)
        _operate(actor, office, zone_id)
        return ticket_id


def office_slug_of(db: Database, actor: Actor) -> str:
    """The office whose dashboard a member opens first: their own, an owner's the first by
    name. Raises OfficeNotFound when there is none."""
    with db.read() as session:
        stmt = select(Office.slug).order_by(Office.name).limit(1)
        if actor.office_id is not None:
            stmt = select(Office.slug).where(Office.id == actor.office_id)
        slug = session.execute(stmt).scalar_one_or_none()
        if slug is None:
            raise errors.OfficeNotFound()
        return slug
