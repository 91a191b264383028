"""The "webpush" channel: a ticket's message to every browser that subscribed to it on the
status page (queueapp.services.push keeps the subscriptions, the consent names the ticket).

The consent's recipient is "push:t<ticket id>", not an endpoint: a ticket may be followed
from several browsers, each kept in push_subscriptions. Each is sent the message with
pywebpush (queueapp.webpush); a subscription the push service calls gone (404/410) is
deleted and, when none is left, the consent is withdrawn, so the worker falls back to the
office's next channel instead of retrying. 429/5xx or no answer: retried. Free: no cap."""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from .. import webpush
from ..db import Database
from ..domain.push import CALL_KINDS, delivery_for
from ..models import NotifyConsent, PushSubscription, Ticket
from .channels import Outgoing, Result, register

NAME = "webpush"
PREFIX = "push:t"


def recipient_of(ticket_id: int) -> str:
    """What a web push consent records as its recipient: the ticket, not a browser."""
    return f"{PREFIX}{ticket_id}"


def ticket_of(recipient: str) -> int | None:
    digits = recipient[len(PREFIX):] if recipient.startswith(PREFIX) else ""
    return int(digits) if digits.isdigit() else None


def topic_of(idempotency_key: str) -> str:
    """RFC 8030 Topic (32 base64url characters at most): a retry of the same message replaces
    the copy a push service still holds for an offline phone, instead of adding one."""
    digest = hashlib.sha256(idempotency_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:32]


class WebPushChannel:
    name = NAME
    paid = False

    def __init__(self, db: Database, keys: webpush.VapidKeys, subject: str):
        self.db = db
        self.keys = keys
        self.subject = subject

    def _subscriptions(self, ticket_id: int):
        with self.db.read() as s:
            return s.execute(select(PushSubscription.id, PushSubscription.endpoint, PushSubscription.p256dh,
                                    PushSubscription.auth, Ticket.token)
                             .join(Ticket, Ticket.id == PushSubscription.ticket_id)
                             .where(PushSubscription.ticket_id == ticket_id)
                             .order_by(PushSubscription.id)).all()

    def _forget(self, ticket_id: int, gone: list[int]) -> bool:
        """Delete the gone subscriptions; withdraw the consent when none is left. Returns
        whether any is left."""
        with self.db.write() as uow:
            s = uow.session
            if gone:
                s.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
            left = s.execute(select(PushSubscription.id).where(PushSubscription.ticket_id == ticket_id)
                             .limit(1)).first() is not None
            if not left:
                s.execute(update(NotifyConsent).where(
                    NotifyConsent.ticket_id == ticket_id, NotifyConsent.channel == NAME,
                    NotifyConsent.withdrawn_at.is_(None)).values(withdrawn_at=datetime.now(timezone.utc)))
            return left

    def send(self, message: Outgoing, recipient: str) -> Result:
        ticket_id = ticket_of(recipient)
        if ticket_id is None:
            return Result(False, False, "not a web push recipient")
        rows = self._subscriptions(ticket_id)
        if not rows:
            self._forget(ticket_id, [])
            return Result(False, False, "no push subscription left")
        delivery = delivery_for(message.kind)
        token = rows[0].token
        payload = {"title": str(message.params.get("number") or ""), "body": message.text, "url": f"/t/{token}",
                   "tag": token, "urgent": message.kind in CALL_KINDS}
        sent = [(row.id, webpush.push({"endpoint": row.endpoint, "keys": {"p256dh": row.p256dh, "auth": row.auth}},
                                      payload, keys=self.keys, subject=self.subject, ttl=delivery.ttl,
                                      urgency=delivery.urgency, topic=topic_of(message.idempotency_key)))
                for row in rows]
        gone = [row_id for row_id, result in sent if result.outcome is webpush.Outcome.GONE]
        left = self._forget(ticket_id, gone) if gone else True
        answer = "; ".join(sorted({result.answer for _, result in sent}))
        if any(result.outcome is webpush.Outcome.DELIVERED for _, result in sent):
            return Result(True, False, f"{answer} ({len(sent)} browsers)" if len(sent) > 1 else answer)
        if any(result.outcome is webpush.Outcome.RETRY for _, result in sent):
            return Result(False, True, answer)
        return Result(False, False, answer if left else f"{answer}: subscription gone")


def _webpush(settings: Mapping[str, Any]) -> WebPushChannel | None:
    """Web push needs no provider account: on wherever the worker has the database."""
    db = settings.get("DATABASE")
    if db is None or not settings.get("INSTANCE_PATH"):
        return None
    return WebPushChannel(db, webpush.vapid_keys(Path(settings["INSTANCE_PATH"])),
                          webpush.subject_for(settings.get("VAPID_SUBJECT"), settings.get("PUBLIC_URL")))


register(NAME, _webpush)
