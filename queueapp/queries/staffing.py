"""Staffing advice from the office's own history: for a day (tomorrow, by default), how
many counters each service needs in each hour so that 90% of its citizens wait less than
its target (the service's target waiting time), by simulating that hour with the
service's measured counter minutes, with Erlang C beside it as the cross-check
(domain.staffing; docs/ETA.md says how).

History: the tickets issued on the same weekday of the last `weeks` weeks (arrivals per
hour, averaged), and the counter minutes of the tickets served in those weeks."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select

from .. import repository
from ..db import Database
from ..domain import staffing
from ..domain.states import TicketStatus
from ..models import Office, Ticket

WEEKS = 4
SHARE = 0.9
_ISSUED = (select(Ticket.service_id, Ticket.issued_at)
           .where(Ticket.office_id == bindparam("office_id"),
                  Ticket.business_date.in_(bindparam("days", expanding=True))))
_SERVED = (select(Ticket.service_id, Ticket.called_at, Ticket.finished_at)
           .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date >= bindparam("since"),
                  Ticket.business_date < bindparam("until"), Ticket.status == TicketStatus.DONE,
                  Ticket.called_at.is_not(None), Ticket.finished_at.is_not(None))
           .order_by(Ticket.finished_at.desc()).limit(5000))


def plan_for(session, office: Office, day: date, *, weeks: int = WEEKS, seed: int = 0) -> dict:
    """The plan of `office` for `day` (see the module's docstring)."""
    days = [day - timedelta(weeks=k) for k in range(1, weeks + 1)]
    zone = ZoneInfo(office.timezone)
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for service_id, issued in session.execute(_ISSUED, {"office_id": office.id, "days": days}):
        counts[service_id][issued.astimezone(zone).hour] += 1
    durations: dict[int, list[float]] = defaultdict(list)
    for service_id, called, finished in session.execute(_SERVED, {"office_id": office.id, "since": days[-1],
                                                                  "until": day}):
        minutes = (finished - called).total_seconds() / 60.0
        if minutes > 0:
            durations[service_id].append(minutes)
    rng = random.Random(seed)
    services = []
    for service in sorted(office.services, key=lambda s: (s.position, s.id)):
        if not service.active:
            continue
        # Before there is history: the admin's expected minutes, spread as a lognormal.
        sample = durations.get(service.id) or staffing.lognormal_durations(float(service.expected_minutes), 0.5, rng)
        hours = []
        for hour in sorted(counts.get(service.id, {})):
            per_hour = counts[service.id][hour] / weeks
            hours.append({"hour": hour, **staffing.hour_plan(per_hour, sample, service.target_wait_minutes, rng,
                                                             SHARE)})
        services.append({"code": service.prefix, "name": service.name_id, "name_en": service.name_en,
                         "target_wait_minutes": service.target_wait_minutes,
                         "history_minutes": len(durations.get(service.id, [])), "hours": hours})
    return {"office": {"slug": office.slug, "name": office.name}, "date": day.isoformat(), "weeks": weeks,
            "share": SHARE, "services": services,
            "peak_counters": _peaks(services)}


def _peaks(services: list[dict]) -> list[dict]:
    """Counters needed per hour over all services, as if each had its own counters (a
    counter serving several lines needs fewer: the simulation of the whole office says how
    many fewer, `queueapp simulate`)."""
    total: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for service in services:
        for row in service["hours"]:
            total[row["hour"]][0] += row["counters"]
            total[row["hour"]][1] += row["erlang_c_counters"]
    return [{"hour": hour, "counters": c, "erlang_c_counters": e} for hour, (c, e) in sorted(total.items())]


def plan(db: Database, slug: str, day: date, *, weeks: int = WEEKS, actor=None) -> dict:
    """The plan of the office `slug` for `day`; with `actor`, only an office the actor may
    watch (queries.dashboard.visible_office)."""
    with db.read() as session:
        if actor is None:
            office = repository.office_by_slug(session, slug)
        else:
            from .dashboard import visible_office
            office = visible_office(session, actor, slug)
        return plan_for(session, office, day, weeks=weeks)


def tomorrow(now: datetime, timezone: str) -> date:
    return (now.astimezone(ZoneInfo(timezone)) + timedelta(days=1)).date()
