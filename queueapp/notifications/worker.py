"""The outbox worker: claims due messages, sends them through their channel after
commit, records each step in the delivery log, and queues the booking reminders.

At least once: a message is claimed (state "sending", a lease, attempts + 1) and
committed before the provider is called, and marked sent only after it answered; a
worker killed in between leaves a claim whose lease runs out, and the message is sent
again with the same idempotency key. In order per citizen: a message is not claimed
while an earlier one of the same citizen is queued or sending. Several workers: rows are
claimed with FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite writers take turns."""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from ..db import Database
from ..domain import local_time
from ..domain.booking import AppointmentStatus
from ..domain.notify import (MAX_REFUSED_ATTEMPTS, Kind, next_attempt, reminders_due, render, text_for,
                             trim_answer)
from ..models import Appointment, DeliveryLog, NotifyConsent, Office, OutboxMessage
from .. import repository
from . import channels as channel_registry
from . import outbox
from .channels import Channel, Outgoing, Result
from .sealing import unseal
from .triggers import appointment_params

log = logging.getLogger(__name__)

PENDING = ("queued", "sending")
# How long a claim holds; a worker that died holding it is replaced after this.
LEASE = timedelta(seconds=60)
BATCH = 20
REMINDER_EVERY = timedelta(seconds=60)
# The longest pause between rounds while rounds keep failing.
MAX_IDLE = 30.0


@dataclass
class Claimed:
    id: int
    attempts: int


def _due(now: datetime):
    earlier = aliased(OutboxMessage)
    blocked = exists().where(earlier.citizen == OutboxMessage.citizen, earlier.id < OutboxMessage.id,
                             earlier.state.in_(PENDING))
    ready = or_(and_(OutboxMessage.state == "queued", OutboxMessage.next_attempt_at <= now),
                and_(OutboxMessage.state == "sending", OutboxMessage.lease_until < now))
    return and_(ready, ~blocked)


class Worker:
    def __init__(self, db: Database, settings: Mapping[str, Any], channels: dict[str, Channel] | None = None):
        self.db = db
        self.secret_key = settings["SECRET_KEY"]
        self.public_url = (settings.get("PUBLIC_URL") or "").rstrip("/")
        # The web push channel reads the ticket's subscriptions: it gets the database too.
        self.channels = channel_registry.build({**settings, "DATABASE": db}) if channels is None else channels
        self.reminders_at: datetime | None = None

    # --- claiming ---

    def has_due(self, now: datetime) -> bool:
        with self.db.read() as s:
            return s.execute(select(OutboxMessage.id).where(_due(now)).limit(1)).first() is not None

    def claim(self, now: datetime, limit: int = BATCH) -> list[Claimed]:
        with self.db.write() as uow:
            s = uow.session
            stmt = select(OutboxMessage.id, OutboxMessage.attempts).where(_due(now)).order_by(
                OutboxMessage.id).limit(limit)
            if not self.db.is_sqlite:
                stmt = stmt.with_for_update(skip_locked=True, of=OutboxMessage)
            rows = s.execute(stmt).all()
            if not rows:
                return []
            s.execute(update(OutboxMessage).where(OutboxMessage.id.in_([r.id for r in rows]))
                      .values(state="sending", lease_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
                      .execution_options(synchronize_session=False))
            return [Claimed(r.id, r.attempts + 1) for r in rows]

    # --- one message ---

    def _prepare(self, s: Session, claimed: Claimed, now: datetime):
        """(message, channel, recipient, text) or a reason it cannot be sent on its channel."""
        message = s.get(OutboxMessage, claimed.id)
        consent = next((c for c in outbox.active_consents(s, message.citizen) if c.channel == message.channel), None)
        if consent is None:
            return message, "no consent for this channel"
        channel = self.channels.get(message.channel)
        if channel is None:
            return message, "channel not configured"
        recipient = unseal(consent.recipient, self.secret_key)
        if recipient is None:
            return message, "recipient unreadable (SECRET_KEY changed?)"
        settings = outbox.settings_of(s, message.office_id)
        if channel.paid and self._paid_today(s, message.office_id, now) >= settings.daily_cap:
            return message, "daily cap of paid messages reached"
        params = dict(message.params)
        if "link" in params and str(params["link"]).startswith("/"):
            params["link"] = self.public_url + params["link"]
        text = render(text_for(message.kind, message.language, settings.texts), params)
        return message, (channel, recipient, Outgoing(message.id, message.idempotency_key, message.kind,
                                                      message.language, text, params))

    def _paid_today(self, s: Session, office_id: int, now: datetime) -> int:
        office = s.get(Office, office_id)
        day = local_time.local(now, office.timezone).date()
        start, _ = repository.day_bounds(day, office.timezone)
        return s.execute(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.office_id == office_id, OutboxMessage.paid.is_(True),
            OutboxMessage.sent_at >= start)).scalar_one()

    def deliver(self, claimed: Claimed, now: datetime) -> str:
        """Send one claimed message; returns the state it ends in."""
        with self.db.read() as s:
            message, prepared = self._prepare(s, claimed, now)
        if isinstance(prepared, str):
            return self._finish(claimed, now, None, Result(False, False, prepared), final=True)
        channel, recipient, outgoing = prepared
        try:
            result = channel.send(outgoing, recipient)
        except Exception as exc:  # noqa: BLE001 - a channel's bug is a failed attempt, not a dead worker
            log.exception("channel %s failed on message %s", channel.name, claimed.id)
            result = Result(False, True, trim_answer(f"{type(exc).__name__} in the channel"))
        return self._finish(claimed, now, channel, result)

    def _finish(self, claimed: Claimed, now: datetime, channel: Channel | None, result: Result,
                final: bool = False) -> str:
        with self.db.write() as uow:
            s = uow.session
            message = s.execute(select(OutboxMessage).where(
                OutboxMessage.id == claimed.id, OutboxMessage.state == "sending",
                OutboxMessage.attempts == claimed.attempts)).scalar_one_or_none()
            if message is None:
                return "lost"     # another worker took it over after our lease ran out
            answer = trim_answer(result.answer)
            message.last_answer = answer
            message.lease_until = None
            if result.delivered:
                message.state, message.sent_at, message.paid = "sent", now, bool(channel and channel.paid)
            else:
                retry_at = None if final else next_attempt(claimed.attempts, now)
                if retry_at is not None and not result.retry and claimed.attempts >= MAX_REFUSED_ATTEMPTS:
                    retry_at = None
                if retry_at is not None:
                    message.state, message.next_attempt_at = "queued", retry_at
                else:
                    message.state = "dead" if result.retry and not final else "failed"
            s.add(DeliveryLog(message_id=message.id, office_id=message.office_id, at=now,
                              state=message.state if message.state != "queued" else "retry",
                              channel=message.channel, answer=answer))
            if message.state in ("failed", "dead"):
                self._fall_back(s, message, now)
            return message.state

    def _fall_back(self, s: Session, message: OutboxMessage, now: datetime) -> None:
        """The next channel of the office's order that the citizen agreed to, if any."""
        agreed = {c.channel for c in outbox.active_consents(s, message.citizen)}
        order = [c for c in outbox.channel_order(outbox.settings_of(s, message.office_id)) if c in agreed]
        later = order[order.index(message.channel) + 1:] if message.channel in order else []
        if not later:
            return
        message.channel, message.state, message.attempts = later[0], "queued", 0
        message.next_attempt_at = now
        s.add(DeliveryLog(message_id=message.id, office_id=message.office_id, at=now, state="fallback",
                          channel=later[0], answer=message.last_answer))

    # --- the loop ---

    def run_once(self, now: datetime) -> int:
        """Claim and deliver what is due; returns how many messages were attempted."""
        done = 0
        while True:
            claimed = self.claim(now)
            if not claimed:
                return done
            for item in claimed:
                self.deliver(item, now)
                done += 1

    def queue_reminders(self, now: datetime) -> int:
        """Queue the reminders due now of consenting bookings (idempotent: one per booking
        and moment, whoever runs it)."""
        horizon = now + timedelta(days=2)
        with self.db.read() as s:
            rows = s.execute(
                select(Appointment.id, Appointment.office_id, Appointment.slot_start, Appointment.created_at,
                       Office.timezone)
                .join(Office, Office.id == Appointment.office_id)
                .where(Appointment.status == AppointmentStatus.BOOKED, Appointment.slot_start > now,
                       Appointment.slot_start < horizon,
                       exists().where(NotifyConsent.appointment_id == Appointment.id))).all()
        due = []
        for row in rows:
            for moment in reminders_due(local_time.local(row.slot_start, row.timezone),
                                        local_time.local(row.created_at, row.timezone),
                                        local_time.local(now, row.timezone)):
                due.append((row.office_id, row.id, moment))
        queued = 0
        for office_id, appointment_id, moment in due:
            with self.db.write() as uow:
                office = uow.lock_office(office_id)
                appointment = uow.session.get(Appointment, appointment_id)
                citizen = outbox.citizen_of(appointment_id=appointment_id)
                consents = outbox.active_consents(uow.session, citizen)
                if not consents:
                    continue
                params = appointment_params(appointment, office, consents[0].language)
                if outbox.enqueue(uow.session, office_id, citizen, Kind.REMINDER, params, f"reminder:{moment}",
                                  now=now, consents=consents):
                    queued += 1
        return queued

    def tick(self, now: datetime) -> int:
        if self.reminders_at is None or now >= self.reminders_at:
            self.reminders_at = now + REMINDER_EVERY
            self.queue_reminders(now)
        return self.run_once(now) if self.has_due(now) else 0

    def run_forever(self, sleep: Callable[[float], None], clock: Callable[[], datetime] | None = None,
                    interval: float = 1.0) -> None:
        clock = clock or (lambda: datetime.now(timezone.utc))
        failures = 0
        while True:
            try:
                self.tick(clock())
                failures = 0
            except Exception:  # noqa: BLE001 - a failed round is retried at the next tick
                failures += 1
                if failures == 1:
                    log.exception("notification worker round failed; retrying with backoff")
            # The database away (a restart, an outage): try less often, log once.
            sleep(min(MAX_IDLE, interval * 2 ** min(failures, 6)) if failures else interval)
