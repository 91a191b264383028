"""WhatsApp/SMS updates asked for on the status page `/t/<token>` while waiting: a plain
form (no JavaScript) with the phone and the channels the office offers, and "stop".
The ticket's token is the key, as for leaving the queue (a forging site cannot know it).
The phone is never logged and never shown back in full once agreed to."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from .. import messages
from ..domain import errors
from ..extensions import csrf, get_db, now
from ..queries.status_notify import configured_channels, phone_notify
from ..services import notify as notify_ops
from ..services.status_notify import consent_on_status_page
from .notify_choice import message_language

bp = Blueprint("status_notify", __name__)
csrf.exempt(bp)   # token-bound, like leaving the queue (see web/status.py)


@bp.app_context_processor
def _state():
    """`phone_notify_of(token)` for the status page's partial (None: nothing to offer)."""
    def phone_notify_of(token: str):
        try:
            return phone_notify(get_db(), token, current_app.config)
        except errors.TicketNotFound:
            return None
    return {"phone_notify_of": phone_notify_of}


def _back(token: str):
    return redirect(url_for("status.page", token=token) + "#notify-phone", code=303)


@bp.post("/t/<token>/notify")
def agree(token: str):
    channels = request.form.getlist("notify")
    try:
        consent_on_status_page(get_db(), token, channels, request.form.get("phone"),
                               configured=configured_channels(current_app.config), now=now(),
                               secret_key=current_app.config["SECRET_KEY"], language=message_language())
    except errors.TicketNotFound:
        return render_template("status/not_found.html"), 404
    except errors.DomainError as exc:
        state = phone_notify(get_db(), token, current_app.config)
        code = 409 if isinstance(exc, errors.Conflict) else 422
        return render_template("status/notify_phone.html", token=token, state=state, problem=messages.for_error(exc),
                               field="phone" if isinstance(exc, errors.InvalidPhone) else "notify",
                               typed_phone=request.form.get("phone", ""), chosen=channels), code
    return _back(token)


@bp.post("/t/<token>/notify/stop")
def stop(token: str):
    try:
        notify_ops.withdraw(get_db(), now=now(), ticket_token=token)
    except errors.TicketNotFound:
        return render_template("status/not_found.html"), 404
    return _back(token)
