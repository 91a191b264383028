"""Days of work for the report tests: a random day played through the use cases, and the
pure reference records built from the rows in plain Python (no SQL aggregate)."""
from __future__ import annotations

import random
from collections import defaultdict

from sqlalchemy import select

from queueapp.domain import errors, metrics
from queueapp.domain.booking import HOLDS_SEAT
from queueapp.models import Appointment, Counter, Office, Service, StaffUser, Ticket, TicketEvent, Zone

from ..conftest import actor_of
from ..support import counters, tickets


def counter_ids(db) -> dict[int, int]:
    with db.read() as s:
        return {c.number: c.id for c in s.execute(select(Counter).join(Office).where(Office.slug == "demo")).scalars()}


def put_service_in_zone(db, prefix: str, zone_name: str) -> None:
    with db.write() as uow:
        office = uow.session.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        zone = Zone(office_id=office.id, name=zone_name, agency=zone_name)
        uow.session.add(zone)
        uow.session.flush()
        uow.session.execute(select(Service).where(Service.prefix == prefix)).scalar_one().zone_id = zone.id


def play_random_day(db, clock, seed: int, steps: int = 160) -> None:
    """Tickets issued through the day; clerks at five counters call, recall, start,
    finish, mark no-shows, transfer, hold and cancel at random, at advancing times."""
    rng = random.Random(seed)
    ids = counter_ids(db)
    clerks = {number: actor_of(db, f"loket{number}") for number in ids}
    at_counter: dict[int, dict] = {}
    for _ in range(steps):
        clock.advance(seconds=rng.randint(5, 200))
        if rng.random() < 0.4:
            tickets.issue_ticket(db, "demo", rng.choice("ABCDEF"), now=clock(),
                                 channel=rng.choice(["kiosk", "kiosk", "online", "staff"]),
                                 priority=rng.choice([None, None, None, "lansia", "disabilitas"]))
            continue
        number = rng.choice(list(ids))
        clerk, current = clerks[number], at_counter.get(number)
        try:
            if current is None:
                at_counter[number] = counters.call_next(db, clerk, ids[number], now=clock())
                continue
            roll = rng.random()
            if current["status"] == "called" and roll < 0.15:
                at_counter[number] = tickets.recall(db, clerk, current["id"], now=clock())
                if at_counter[number]["status"] != "called":
                    del at_counter[number]
            elif current["status"] == "called" and roll < 0.3:
                tickets.no_show(db, clerk, current["id"], now=clock())
                del at_counter[number]
            elif roll < 0.38:
                tickets.transfer(db, clerk, current["id"], rng.choice("ABCDEF"), now=clock(),
                                 position=rng.choice(["keep", "end"]))
                del at_counter[number]
            elif roll < 0.42:
                tickets.hold(db, clerk, current["id"], now=clock())
                del at_counter[number]
            elif current["status"] == "called" and roll < 0.75:
                at_counter[number] = tickets.start(db, clerk, current["id"], now=clock())
            else:
                tickets.finish(db, clerk, current["id"], now=clock())
                del at_counter[number]
        except errors.QueueEmpty:
            pass
        except errors.InvalidInput:  # a transfer to the ticket's own service
            pass
    for number, current in at_counter.items():  # the end of the day: the last citizens are served
        tickets.finish(db, clerks[number], current["id"], now=clock.advance(seconds=90))
    # A citizen leaves, and a ticket issued by mistake is cancelled.
    with db.read() as s:
        waiting = s.execute(select(Ticket.id).where(Ticket.status == "waiting")).scalars().all()
    for ticket_id in waiting[:2]:
        tickets.cancel(db, clerks[1], ticket_id, now=clock.advance(seconds=30))


def pure_records(db) -> list[metrics.TicketRecord]:
    """The reference records: every ticket and its events read row by row, put together in Python."""
    with db.read() as s:
        events = defaultdict(list)
        for event in s.execute(select(TicketEvent).order_by(TicketEvent.id)).scalars():
            events[event.ticket_id].append(event)
        services = {x.id: x for x in s.execute(select(Service)).scalars()}
        zones = {z.id: z.name for z in s.execute(select(Zone)).scalars()}
        numbers = {c.id: c.number for c in s.execute(select(Counter)).scalars()}
        names = {u.id: u.display_name for u in s.execute(select(StaffUser)).scalars()}
        result = []
        for t in s.execute(select(Ticket).order_by(Ticket.id)).scalars():
            calls = [e.at for e in events[t.id] if e.type == "ticket.called"]
            service = services[t.service_id]
            result.append(metrics.TicketRecord(
                ticket_id=t.id, business_date=t.business_date, service=service.prefix, status=t.status.value,
                channel=t.channel.value, issued_at=t.issued_at, target_wait_minutes=service.target_wait_minutes,
                zone=zones.get(service.zone_id, ""), counter=numbers.get(t.counter_id),
                clerk=names.get(t.staff_id, "") if t.called_at else "",
                priority=t.priority.value if t.priority else "", first_called_at=min(calls) if calls else None,
                called_at=t.called_at, started_at=t.started_at, finished_at=t.finished_at,
                transfers=sum(e.type == "ticket.transferred" for e in events[t.id]),
                recalls=sum(e.type == "ticket.recalled" for e in events[t.id]), number=t.code))
        return result


def pure_appointments(db) -> list[metrics.AppointmentRecord]:
    with db.read() as s:
        result = []
        for a in s.execute(select(Appointment).order_by(Appointment.slot_start)).scalars():
            if a.status not in HOLDS_SEAT:
                continue
            ticket = s.get(Ticket, a.ticket_id) if a.ticket_id else None
            result.append(metrics.AppointmentRecord(
                a.slot_start, a.status.value, ticket.issued_at if ticket else None,
                ticket.channel.value if ticket else None, ticket.status.value if ticket else None))
        return result
