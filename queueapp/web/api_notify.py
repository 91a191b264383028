"""JSON API v1 for notifications: a clerk records the consent of a citizen without a
smartphone (phone and channel) for a ticket of their office; a citizen stops the messages
of their ticket or booking with its secret token."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from ..extensions import csrf, get_db, now
from ..services import notify as notify_ops
from .auth import staff_required
from .http import json_body, optional_str
from .notify_choice import message_language

bp = Blueprint("api_notify", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # staff writes with a cookie session are checked in staff_required


@bp.post("/tickets/<int:ticket_id>/notify")
@staff_required
def clerk_consent(ticket_id: int):
    """{"channel": "whatsapp"|"sms", "phone": "0812...", "language": "id"|"en"}: the
    citizen agreed at the counter; the "joined" message (number and status link) is queued."""
    body = json_body()
    channel = optional_str(body, "channel", required=True)
    notify_ops.clerk_consent(get_db(), g.actor, ticket_id, channel, optional_str(body, "phone", required=True),
                             now=now(), secret_key=current_app.config["SECRET_KEY"],
                             language=optional_str(body, "language") or message_language())
    return jsonify({"ticket_id": ticket_id, "channel": channel, "consent": "recorded"}), 201


@bp.post("/tickets/<token>/notify/stop")
def stop_ticket_messages(token: str):
    """The citizen (status token) withdraws every consent of their ticket."""
    return jsonify({"withdrawn": notify_ops.withdraw(get_db(), now=now(), ticket_token=token)})


@bp.post("/appointments/<token>/notify/stop")
def stop_booking_messages(token: str):
    """The citizen (manage token) withdraws every consent of their booking."""
    return jsonify({"withdrawn": notify_ops.withdraw(get_db(), now=now(), manage_token=token)})
