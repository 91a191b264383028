"""Read side of notifications for the admin page: provider health per channel, the
queue's depth, recent failures, and the office's message texts with their previews."""
from __future__ import annotations

from sqlalchemy import func, select

from ..db import Database
from ..domain.notify import DEFAULT_TEXTS, PARAMS, Kind, render
from ..models import DeliveryLog, OutboxMessage
from ..notifications import outbox

# What a preview fills the placeholders with.
SAMPLE = {"code": "K7QM-3XPA", "day": "Selasa, 24 November 2026", "time": "08:00 WIB", "service": "KTP-el",
          "requirements": "Fotokopi KK", "link": "https://antrian.example.go.id/t/abc", "number": "A-012",
          "ahead": 3, "counter": "4"}
SAMPLE_EN = SAMPLE | {"day": "Tuesday, 24 November 2026"}


def health(db: Database, office_id: int) -> dict:
    """Per channel: the last delivery and the last failure (time and answer); the queue's depth."""
    with db.read() as s:
        channels = {}
        for state, key in (("sent", "last_success"), ("failed", "last_failure"), ("dead", "last_failure"),
                           ("retry", "last_failure")):
            rows = s.execute(select(DeliveryLog.channel, func.max(DeliveryLog.at)).where(
                DeliveryLog.office_id == office_id, DeliveryLog.state == state).group_by(DeliveryLog.channel)).all()
            for channel, at in rows:
                entry = channels.setdefault(channel, {"channel": channel, "last_success": None, "last_failure": None})
                if entry[key] is None or at > entry[key]:
                    entry[key] = at
        depth = dict(s.execute(select(OutboxMessage.state, func.count()).where(
            OutboxMessage.office_id == office_id, OutboxMessage.state.in_(["queued", "sending"]))
            .group_by(OutboxMessage.state)).all())
    return {"channels": sorted(channels.values(), key=lambda c: c["channel"]),
            "queued": depth.get("queued", 0), "sending": depth.get("sending", 0)}


def failures(db: Database, office_id: int, limit: int = 50) -> list[dict]:
    """The latest failed steps (retry, failed, dead) with the provider's answer; no recipient."""
    with db.read() as s:
        rows = s.execute(select(DeliveryLog, OutboxMessage.kind).join(
            OutboxMessage, OutboxMessage.id == DeliveryLog.message_id).where(
            DeliveryLog.office_id == office_id, DeliveryLog.state.in_(["retry", "failed", "dead"]))
            .order_by(DeliveryLog.id.desc()).limit(limit)).all()
    return [{"message": row.message_id, "at": row.at, "state": row.state, "channel": row.channel, "kind": kind,
             "answer": row.answer or ""} for row, kind in rows]


def settings(db: Database, office_id: int, typed: dict | None = None) -> dict:
    """The office's settings and, per kind, its texts (own or default) with previews;
    `typed`: texts as just typed (a preview before saving), kind -> language -> text."""
    with db.read() as s:
        row = outbox.settings_of(s, office_id)
        own = {kind: dict(texts) for kind, texts in (row.texts or {}).items()}
        result = {"channels": row.channels, "daily_cap": row.daily_cap, "ahead_threshold": row.ahead_threshold}
    for kind, texts in (typed or {}).items():
        own[kind] = texts
    kinds = []
    for kind in Kind:
        entry = {"kind": kind.value, "placeholders": ["{%s}" % p for p in PARAMS[kind]]}
        for language, sample in (("id", SAMPLE), ("en", SAMPLE_EN)):
            text = (own.get(kind.value) or {}).get(language) or ""
            shown = text.strip() or DEFAULT_TEXTS[kind][language]
            entry[language] = {"own": text, "default": DEFAULT_TEXTS[kind][language],
                               "preview": render(shown, sample), "length": len(render(shown, sample))}
        kinds.append(entry)
    return result | {"kinds": kinds}
