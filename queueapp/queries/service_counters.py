"""Which counters serve a service (the office's counter-service matrix), for a citizen
waiting for it: names and whether each is open now. No staff, no personal data."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import Database
from ..models import Counter, Office, Service


def serving(session: Session, office_id: int, service_code: str) -> list[dict]:
    """The counters linked to the service, by number: {id, number, name, state}."""
    service = session.execute(select(Service).where(
        Service.office_id == office_id, Service.prefix == service_code)).scalar_one_or_none()
    if service is None:
        return []
    office = session.get(Office, office_id)
    rows: list[Counter] = [c for c in office.counters if any(link.service_id == service.id for link in c.links)]
    return [{"id": c.id, "number": c.number, "name": c.name, "state": c.state.value}
            for c in sorted(rows, key=lambda c: c.number)]


def for_office(db: Database, office_slug: str, service_code: str) -> list[dict]:
    """serving() of the office with this slug."""
    with db.read() as session:
        office = session.execute(select(Office).where(Office.slug == office_slug)).scalar_one_or_none()
        return [] if office is None else serving(session, office.id, service_code)
