"""JSON API v1 of the satisfaction survey (SKM): a citizen answers for a served ticket (the
ticket's token is the key), and anyone reads an office's published index for a period."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from ..domain import periods, skm
from ..extensions import csrf, get_db, now
from ..queries import skm as skm_views
from ..services import survey
from .http import json_body

bp = Blueprint("api_survey", __name__, url_prefix="/api/v1")
# The ticket's unguessable token is the credential; no cookie is involved.
csrf.exempt(bp)


def survey_days() -> int:
    return current_app.config.get("SURVEY_DAYS") or skm.DEFAULT_SURVEY_DAYS


@bp.post("/tickets/<token>/survey")
def answer(token: str):
    body = json_body()
    survey.answer_survey(get_db(), token, body.get("answers"), body.get("profile"), body.get("comment"),
                         now=now(), days=survey_days())
    return jsonify({"status": "answered"}), 201


@bp.get("/offices/<slug>/skm")
def index(slug: str):
    period = periods.day_range(request.args.get("from"), request.args.get("to"),
                               max_days=current_app.config.get("REPORT_MAX_DAYS") or periods.DEFAULT_MAX_DAYS)
    service = (request.args.get("service") or "").strip() or None
    return jsonify(skm_views.public_summary(get_db(), slug, period.first, period.last, service))
