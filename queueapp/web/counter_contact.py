"""The clerk's way to reach the citizen at the counter without a message provider:
`GET /api/v1/counters/<id>/contact` gives the phone the citizen left (booking or consent)
and a prefilled wa.me link, to the staff who may serve at that counter only (never in an
event or a public page; not cached). Recording a consent at the counter is
POST /api/v1/tickets/<id>/notify (web.api_notify)."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from ..extensions import get_db
from ..queries.contact import counter_contact
from .auth import staff_required

bp = Blueprint("counter_contact", __name__, url_prefix="/api/v1")


@bp.get("/counters/<int:counter_id>/contact")
@staff_required
def contact(counter_id: int):
    response = jsonify(counter_contact(get_db(), g.actor, counter_id, secret_key=current_app.config["SECRET_KEY"]))
    response.headers["Cache-Control"] = "no-store"
    return response
