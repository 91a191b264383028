"""Announcing the dashboard's alerts (domain.alerts) as events of the office's log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from .. import repository
from ..db import Database
from ..domain import alerts
from ..domain.events import ALERT_EVENTS, EventType
from ..domain.numbering import business_date
from ..models import Office, TicketEvent

E = EventType


def standing_alerts(session, office: Office, now: datetime) -> dict[str, dict]:
    """The alerts announced today and not cleared since, by key, from the office's log."""
    since = repository.day_bounds(business_date(now, office.timezone), office.timezone)[0]
    standing: dict[str, dict] = {}
    for type_, data in session.execute(select(TicketEvent.type, TicketEvent.data).where(
            TicketEvent.office_id == office.id, TicketEvent.type.in_([e.value for e in ALERT_EVENTS]),
            TicketEvent.at >= since).order_by(TicketEvent.seq)):
        if type_ == E.ALERT_RAISED.value:
            standing[data["key"]] = data
        else:
            standing.pop(data.get("key"), None)
    return standing


def announce_alerts(db: Database, office_id: int, found: list[alerts.Alert], *, now: datetime) -> int:
    """Record alert.raised for each alert in `found` not announced yet, and alert.cleared
    for each announced one no longer found; returns how many events were recorded. Under
    the office's lock, so processes checking at once announce each change once."""
    with db.write() as uow:
        office = uow.lock_office(office_id)
        raised, cleared = alerts.changes(standing_alerts(uow.session, office, now), found)
        for alert in raised:
            uow.record(office, E.ALERT_RAISED, now, data=alert.as_dict())
        for key in cleared:
            kind, _, subject = key.partition(":")
            uow.record(office, E.ALERT_CLEARED, now, data={"key": key, "kind": kind, "subject": subject})
        return len(raised) + len(cleared)
