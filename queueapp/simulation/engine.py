"""The office day, event by event: citizens arrive and take numbers, clerks call, serve,
recall and mark no-shows, counters open and pause, all through the real use cases
(services.tickets, services.counters) on a real database, on a simulated clock.

Randomness comes only from random.Random(seed); nothing reads the wall clock, so one
scenario and seed always give the same day."""
from __future__ import annotations

import atexit
import heapq
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, insert, select

from ..db import Database
from ..domain import errors, eta
from ..domain.permissions import Actor
from ..domain.setup import timezone as tz_name
from ..domain.channels import Channel
from ..domain.states import TicketStatus
from ..models import Office, StaffUser, Ticket
from ..queries import eta as eta_queries
from ..queries import tickets as ticket_queries
from ..schema import upgrade
from ..models import Appointment
from ..services import appointments as appointment_services
from ..services import catalog as catalog_services
from ..services import checkin as checkin_services
from ..services import counters as counter_services
from ..services import tickets as ticket_services
from ..services.office_import import import_office
from . import oracle
from .scenario import Scenario

SLUG = "sim"
CLERK = "sim.clerk"
PRIORITY_GROUPS = ("lansia", "disabilitas", "ibu_hamil", "anak")


@dataclass
class Citizen:
    """One walk-in and what happened to them; `quotes` maps estimator name to
    (minutes, low, high) as quoted when the ticket was issued (None: no estimate)."""

    index: int
    service: str
    arrival: float                 # minutes after local midnight
    priority: str | None
    absent: bool
    late: bool
    patience: float | None
    ticket_id: int | None = None
    token: str | None = None
    position: int | None = None     # people ahead in its own line, as the status page says
    ahead: int | None = None        # tickets the counters serving it will call first
    called: float | None = None
    outcome: str = "waiting"       # served, no_show, walked_out, not_issued
    quotes: dict[str, tuple | None] = field(default_factory=dict)
    # The oracle's own expected error for its quote (simulation.oracle.quote), when quoted by it.
    expected_error: float | None = None
    # A booked visit: its slot (minutes after midnight) and booking code; `arrival` is the
    # moment it checks in (None: a booked no-show, who never comes).
    slot: float | None = None
    code: str | None = None
    # The product's quote (the chosen estimator over the whole line, as the projector sends
    # it) each time it changed after the issue: (minutes after midnight, quote, ahead then).
    requotes: list[tuple[float, tuple | None, int]] = field(default_factory=list)

    @property
    def wait(self) -> float | None:
        return None if self.called is None else self.called - self.arrival


@dataclass
class CounterRun:
    number: int
    counter_id: int
    speed: float
    services: frozenset[str]
    state: str = "closed"           # closed, idle, busy, paused
    pending: str | None = None      # "pause" or "close" once the ticket at it is done
    current: Citizen | None = None


@dataclass
class Day:
    scenario: Scenario
    seed: int
    citizens: list[Citizen]
    estimators: tuple[str, ...]


_TEMPLATE: list[Path] = []


def _migrated_template() -> Path:
    """An empty migrated SQLite database, made once per process (migrating takes seconds)
    and copied for each simulated day."""
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="queueapp-sim-template-"))
        atexit.register(shutil.rmtree, folder, True)
        engine = create_engine(f"sqlite:///{folder / 'template.db'}")
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        _TEMPLATE.append(folder / "template.db")
    return _TEMPLATE[0]


class Simulation:
    """One scenario day with one seed. `database_url`: an empty database (PostgreSQL or
    SQLite) instead of SQLite in a temporary folder."""

    def __init__(self, scenario: Scenario, seed: int, database_url: str | None = None,
                 estimators: tuple[str, ...] = ("rolling-mean", "queue-model", "monte-carlo"),
                 requotes: bool = True, told: frozenset = oracle.TRUTHS):
        self.scenario, self.seed, self.estimators = scenario, seed, estimators
        self.told = told   # what the oracle estimator is told of the scenario's truth
        self.requotes = requotes and eta.CHOSEN in estimators
        self.rng = random.Random(seed)
        self.database_url = database_url
        self.zone = ZoneInfo(tz_name(scenario.timezone))
        self.origin = datetime.combine(scenario.day, time(0), self.zone)
        self.events: list = []
        self.seq = 0

    # -- clock and events ------------------------------------------------------------
    def at(self, minutes: float) -> datetime:
        return self.origin + timedelta(seconds=round(minutes * 60))

    def schedule(self, minutes: float, kind: str, payload=None) -> None:
        self.seq += 1
        heapq.heappush(self.events, (minutes, self.seq, kind, payload))

    # -- the day ---------------------------------------------------------------------
    def run(self) -> Day:
        with tempfile.TemporaryDirectory(prefix="queueapp-sim-") as folder:
            if self.database_url is None:
                shutil.copyfile(_migrated_template(), Path(folder) / "sim.db")
            self.db = Database(self.database_url or f"sqlite:///{Path(folder) / 'sim.db'}")
            try:
                if self.database_url is not None:
                    upgrade(self.db.engine)
                self._set_up()
                self._earlier_days()
                citizens = self._citizens()
                for citizen in citizens:
                    if citizen.arrival is not None:
                        self.schedule(citizen.arrival, "arrive", citizen)
                for counter in self.counters.values():
                    self._schedule_counter(counter)
                while self.events:
                    self.now, _, kind, payload = heapq.heappop(self.events)
                    getattr(self, f"_on_{kind}")(payload)
            finally:
                self.db.dispose()
        return Day(self.scenario, self.seed, citizens, self.estimators)

    def _set_up(self) -> None:
        s = self.scenario
        weekday = s.day.isoweekday()
        hhmm = lambda m: f"{int(m) // 60:02d}:{int(m) % 60:02d}"  # noqa: E731
        document = {
            "office": {"slug": SLUG, "name": f"Simulasi {s.name}", "timezone": s.timezone,
                       "max_calls": s.max_calls, "finish_on_call_next": False},
            "zones": [{"name": zone, "agency": zone} for zone in s.zones],
            "services": [{"code": x.code, "name": x.name, "expected_minutes": x.expected_minutes,
                          "target_wait_minutes": x.target_wait_minutes, **({"zone": x.zone} if x.zone else {})}
                         for x in s.services],
            "counters": [{"number": c.number, "name": f"Loket {c.number}", "services": c.services,
                          "priority_first": c.priority_first, "state": "closed", **({"zone": c.zone} if c.zone else {})}
                         for c in s.counters],
            "hours": [{"weekday": weekday, "opens": hhmm(s.opens), "closes": hhmm(s.closes),
                       "breaks": [[hhmm(a), hhmm(b)] for a, b in s.breaks], "walk_ins": True,
                       "appointments": s.appointments.share > 0}],
            "staff": [{"username": CLERK, "role": "clerk", "password": "simulasi-" + "x" * 8}],
        }
        import_office(self.db, document, now=self.at(s.opens) - timedelta(days=1))
        with self.db.read() as session:
            office = session.execute(select(Office).where(Office.slug == SLUG)).scalar_one()
            user = session.execute(select(StaffUser).where(StaffUser.username == CLERK)).scalar_one()
            self.office_id = office.id
            self.actor = Actor(staff_id=user.id, office_id=office.id, role="clerk", username=CLERK)
            ids = {c.number: c.id for c in office.counters}
            self.service_ids = {x.prefix: x.id for x in office.services}
        self.counters = {c.number: CounterRun(c.number, ids[c.number], c.speed, frozenset(c.services))
                         for c in s.counters}
        self.counter_ids = ids   # counter number -> id (what the oracle is told by number)
        self.specs = {c.number: c for c in s.counters}
        self.services = {x.code: x for x in s.services}
        self.by_ticket: dict[int, Citizen] = {}
        spec = s.appointments
        if spec.share > 0:
            for code in spec.services or tuple(self.services):
                catalog_services.update_service(self.db, None, SLUG, code, {"booking": {
                    "bookable": True, "slot_minutes": spec.slot_minutes, "capacity": spec.capacity}},
                    now=self.at(s.opens) - timedelta(days=1))

    def _earlier_days(self) -> None:
        """The scenario's earlier days in the database (`history: {days: N}`): each counter
        serving from its opening to its closing outside its breaks, back to back, a service
        drawn by the day's shares among those it serves, at the scenario's counter minutes
        and the clerk's speed. Only served tickets (what queries.eta reads as a prior), drawn
        from their own random.Random so that the day itself is the same with or without."""
        s = self.scenario
        if s.history_days <= 0:
            return
        rng = random.Random(f"{self.seed}-history")
        with self.db.read() as session:
            ids = {x.prefix: x.id for x in session.execute(select(Office).where(Office.id == self.office_id))
                   .scalar_one().services}
        rows, numbers = [], {}
        for back in range(s.history_days, 0, -1):
            day = s.day - timedelta(days=back)
            origin = datetime.combine(day, time(0), self.zone)
            for spec in s.counters:
                offered = [x for x in s.services if x.code in spec.services]
                t, end = spec.opens, spec.closes if spec.closes is not None else s.closes
                while offered and t < end:
                    pause = next((b1 for b0, b1 in spec.breaks if b0 <= t < b1), None)
                    if pause is not None:
                        t = pause
                        continue
                    service = rng.choices(offered, weights=[x.share for x in offered])[0]
                    minutes = max(0.5, rng.lognormvariate(0, service.sigma) * service.median_minutes * spec.speed)
                    number = numbers[(day, service.code)] = numbers.get((day, service.code), 0) + 1
                    at = lambda m: origin + timedelta(seconds=round(m * 60))  # noqa: E731
                    rows.append({"office_id": self.office_id, "service_id": ids[service.code], "business_date": day,
                                 "prefix": service.code, "number": number, "code": f"{service.code}{number:03d}",
                                 "channel": Channel.KIOSK, "status": TicketStatus.DONE,
                                 "counter_id": self.counters[spec.number].counter_id,
                                 "issued_at": at(t), "queued_at": at(t), "called_at": at(t),
                                 "started_at": at(t + s.walk_to_counter_minutes),
                                 "finished_at": at(t + s.walk_to_counter_minutes + minutes), "call_count": 1,
                                 "token": f"sim-{day.isoformat()}-{len(rows)}"})
                    t += s.walk_to_counter_minutes + minutes
        with self.db.write() as uow:
            uow.session.execute(insert(Ticket), rows)

    def _citizens(self) -> list[Citizen]:
        s, rng = self.scenario, self.rng
        citizens = []
        if s.fixed:
            return [Citizen(index, code, at, priority, False, False, None)
                    for index, (at, code, priority) in enumerate(s.fixed)]
        booked = round(s.tickets * s.appointments.share)
        for index in range(s.tickets - booked):
            service = rng.choices(s.services, weights=[x.share for x in s.services])[0]
            hours = service.peak or s.by_hour
            hour = rng.choices(list(hours), weights=list(hours.values()))[0]
            arrival = min(max(hour * 60 + rng.random() * 60, s.opens), s.closes - 0.5)
            priority = rng.choice(PRIORITY_GROUPS) if rng.random() < s.priority_share else None
            absent = rng.random() < s.absent_share
            late = rng.random() < s.late_share
            patience = rng.uniform(*s.patience_minutes) if rng.random() < s.walk_out_share else None
            citizens.append(Citizen(index, service.code, round(arrival, 2), priority, absent, late, patience))
        citizens.extend(self._booked(booked, s.tickets - booked))
        citizens.sort(key=lambda c: (c.arrival if c.arrival is not None else 10 ** 6, c.index))
        return citizens

    def _booked(self, count: int, first_index: int) -> list[Citizen]:
        """`count` visits booked the day before through services.appointments.book: a slot
        drawn by the day's arrivals by hour (the next free one when full), an arrival around
        it (the punctuality), or none (a no-show)."""
        s, rng, spec = self.scenario, self.rng, self.scenario.appointments
        offered = [x for x in s.services if not spec.services or x.code in spec.services]
        booked_at = self.at(s.opens) - timedelta(days=1)
        citizens = []
        for n in range(count):
            service = rng.choices(offered, weights=[x.share for x in offered])[0]
            hour = rng.choices(list(s.by_hour), weights=list(s.by_hour.values()))[0]
            slot = max(s.opens, (hour * 60 + rng.random() * 60) // spec.slot_minutes * spec.slot_minutes)
            absent = rng.random() < spec.no_show_share
            offset = rng.gauss(spec.arrive_mean, spec.arrive_sd)
            token = None
            for _ in range(4 * 24 * 60 // spec.slot_minutes):
                if slot + spec.slot_minutes > s.closes:
                    slot = s.opens
                try:
                    token = appointment_services.book(
                        self.db, SLUG, service.code, self.at(slot), name="Warga Simulasi",
                        phone=f"0812{first_index + n:08d}", nik=None, now=booked_at, secret_key="simulasi")
                    break
                except errors.DomainError:
                    slot += spec.slot_minutes
            if token is None:
                continue
            with self.db.read() as session:
                code = session.execute(select(Appointment.code).where(Appointment.manage_token == token)).scalar_one()
            arrival = None if absent else round(min(max(slot + offset, s.opens), s.closes - 0.5), 2)
            citizens.append(Citizen(first_index + n, service.code, arrival, None, False, False, None,
                                    slot=slot, code=code, outcome="waiting" if arrival is not None else "booked_no_show"))
        return citizens

    def _schedule_counter(self, counter: CounterRun) -> None:
        spec = self.specs[counter.number]
        self.schedule(spec.opens, "open", counter)
        for b0, b1 in spec.breaks:
            self.schedule(b0, "break", counter)
            self.schedule(b1, "resume", counter)
        if spec.closes is not None:
            self.schedule(spec.closes, "close", counter)

    # -- citizens --------------------------------------------------------------------
    def _on_arrive(self, citizen: Citizen) -> None:
        now = self.at(self.now)
        try:
            if citizen.code is not None:
                change = checkin_services.check_in(self.db, SLUG, citizen.code, now=now)
            else:
                change = ticket_services.issue_ticket(self.db, SLUG, citizen.service, now=now,
                                                      priority=citizen.priority, channel="kiosk")
        except errors.TooEarly:
            # Before the check-in window: the citizen sits down and checks in when it opens.
            citizen.arrival = round(citizen.slot - 30 + 0.1, 2)
            self.schedule(citizen.arrival, "arrive", citizen)
            return
        except errors.DomainError:
            citizen.outcome = "not_issued"
            return
        citizen.ticket_id = change.ticket_id
        self.by_ticket[change.ticket_id] = citizen
        self._quote(citizen, now)
        if citizen.patience is not None:
            self.schedule(self.now + citizen.patience, "walk_out", citizen)
        for counter in self.counters.values():
            if counter.state == "idle" and citizen.service in counter.services:
                self._call(counter)

    def _quote(self, citizen: Citizen, now: datetime) -> None:
        # Today's rule is the product's own read side (queries.tickets), not a copy of it.
        with self.db.read() as session:
            ticket = ticket_queries.load_ticket(session, citizen.ticket_id)
            citizen.token, citizen.position = ticket.token, ticket_queries.people_ahead(session, ticket)
            view = ticket_queries.todays_rule(session, ticket, citizen.position)
            if "rolling-mean" in self.estimators:
                citizen.quotes["rolling-mean"] = (
                    None if view["eta_minutes"] is None else (view["eta_minutes"], *view["eta_range"]))
            state = eta_queries.line_state(session, session.get(Office, self.office_id), now)
        citizen.ahead = eta.people_before(state, citizen.ticket_id)
        for name in self.estimators:
            if name == "rolling-mean":
                continue
            rng = random.Random(f"{self.seed}-{citizen.ticket_id}")
            if name == "queue-model":
                estimate = eta.estimate_queue_model(state, citizen.ticket_id)
            elif name == oracle.ORACLE:
                told = oracle.truth(state, self.scenario, self.service_ids, self.counter_ids, self.now, self.told)
                estimate, citizen.expected_error = oracle.quote(told, citizen.ticket_id, rng)
            else:
                estimate = eta.estimate_monte_carlo(state, citizen.ticket_id, rng)
            citizen.quotes[name] = None if estimate.minutes is None else (estimate.minutes, estimate.low, estimate.high)

    def _requote(self) -> None:
        """The product's quotes of every waiting citizen after a change that moves the line
        (a call, a counter opening, pausing or closing): the chosen estimator over the
        whole line, as queries.eta.line_estimates replays it; a changed quote is recorded."""
        if not self.requotes:
            return
        now = self.at(self.now)
        with self.db.read() as session:
            state = eta_queries.line_state(session, session.get(Office, self.office_id), now)
        estimates = eta.monte_carlo_line(state, random.Random(0))
        ahead = _ahead_counts(state)
        for w in state.waiting:
            citizen = self.by_ticket.get(w.ticket_id)
            if citizen is None:
                continue
            estimate = estimates.get(w.ticket_id)
            quote = None if estimate is None or estimate.minutes is None else (
                estimate.minutes, estimate.low, estimate.high)
            last = citizen.requotes[-1][1] if citizen.requotes else citizen.quotes.get(eta.CHOSEN)
            if quote != last:
                citizen.requotes.append((self.now, quote, ahead.get(w.ticket_id, 0)))

    def _on_walk_out(self, citizen: Citizen) -> None:
        if citizen.called is None and citizen.outcome == "waiting":
            ticket_services.cancel_by_token(self.db, citizen.token, now=self.at(self.now))
            citizen.outcome = "walked_out"

    # -- counters --------------------------------------------------------------------
    def _call(self, counter: CounterRun) -> None:
        if counter.state != "idle":
            return
        try:
            change = counter_services.call_next(self.db, self.actor, counter.counter_id, now=self.at(self.now))
        except errors.QueueEmpty:
            return
        citizen = self.by_ticket[change.ticket_id]
        citizen.called = self.now
        counter.state, counter.current = "busy", citizen
        self._requote()
        if citizen.absent:
            self.schedule(self.now + self.scenario.recall_after_minutes, "recall", counter)
        else:
            self.schedule(self.now + self.scenario.walk_to_counter_minutes, "start", counter)

    def _on_recall(self, counter: CounterRun) -> None:
        citizen = counter.current
        change = ticket_services.recall(self.db, self.actor, citizen.ticket_id, now=self.at(self.now))
        with self.db.read() as session:
            status = ticket_queries.load_ticket(session, change.ticket_id).status.value
        if status == "no_show":
            citizen.outcome = "no_show"
            self._free(counter)
        elif citizen.late:
            self.schedule(self.now + self.scenario.walk_to_counter_minutes, "start", counter)
        else:
            self.schedule(self.now + self.scenario.recall_after_minutes, "recall", counter)

    def _on_start(self, counter: CounterRun) -> None:
        citizen = counter.current
        ticket_services.start(self.db, self.actor, citizen.ticket_id, now=self.at(self.now))
        spec = self.services[citizen.service]
        minutes = self.rng.lognormvariate(0, spec.sigma) * spec.median_minutes * counter.speed
        self.schedule(self.now + max(0.5, minutes), "finish", counter)

    def _on_finish(self, counter: CounterRun) -> None:
        citizen = counter.current
        ticket_services.finish(self.db, self.actor, citizen.ticket_id, now=self.at(self.now))
        citizen.outcome = "served"
        self._free(counter)

    def _free(self, counter: CounterRun) -> None:
        counter.current = None
        if counter.pending:
            self._set_state(counter, "paused" if counter.pending == "pause" else "closed")
            counter.pending = None
            return
        counter.state = "idle"
        self._call(counter)

    def _set_state(self, counter: CounterRun, state: str) -> None:
        counter_services.set_counter_state(self.db, self.actor, counter.counter_id, state, now=self.at(self.now))
        counter.state = {"open": "idle"}.get(state, state)
        self._requote()

    def _on_open(self, counter: CounterRun) -> None:
        self._set_state(counter, "open")
        self._call(counter)

    def _on_break(self, counter: CounterRun) -> None:
        if counter.state == "idle":
            self._set_state(counter, "paused")
        elif counter.state == "busy":
            counter.pending = "pause"

    def _on_resume(self, counter: CounterRun) -> None:
        if counter.state == "paused":
            self._on_open(counter)
        elif counter.pending == "pause":
            counter.pending = None

    def _on_close(self, counter: CounterRun) -> None:
        if counter.state in ("idle", "paused"):
            self._set_state(counter, "closed")
        elif counter.state == "busy":
            counter.pending = "close"


def _ahead_counts(state: eta.LineState) -> dict[int, int]:
    """Per waiting ticket, the tickets before it in line order (priority, then time in
    line) of the services its counters serve: eta.people_before without each counter's
    service order, cheap enough for every ticket after every call."""
    serves = {sid: frozenset(s for c in state.serving(sid) for s in c.services)
              for sid in {w.service_id for w in state.waiting}}
    ordered = sorted(state.waiting, key=eta._line_rank)
    counts: dict[int, int] = {}
    seen: dict[int, int] = {}
    for w in ordered:
        mine = serves.get(w.service_id) or frozenset({w.service_id})
        counts[w.ticket_id] = sum(seen.get(sid, 0) for sid in mine)
        seen[w.service_id] = seen.get(w.service_id, 0) + 1
    return counts


def simulate(scenario: Scenario, seed: int, database_url: str | None = None, **options) -> Day:
    return Simulation(scenario, seed, database_url, **options).run()
