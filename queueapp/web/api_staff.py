"""JSON API v1, people: an office's staff accounts, their API tokens, and the audit log.
Parse, call one use case (services.staff), answer with the read side's view (queries.people)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, g, jsonify, request

from ..domain import errors
from ..extensions import csrf, get_db, now
from ..queries import people
from ..services import staff
from .auth import end_live_sessions, login_throttle, staff_required
from .http import json_body, optional_str

bp = Blueprint("api_staff", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # staff writes with a cookie session are checked in staff_required

CREATE_FIELDS = {"username", "password", "role", "zone_id", "display_name"}


def _only(body: dict, allowed: set[str]) -> dict:
    unknown = set(body) - allowed
    if unknown:
        raise errors.InvalidInput(errors.N_("%(field)s cannot be changed"), field=", ".join(sorted(unknown)))
    return body


@bp.get("/offices/<slug>/staff")
@staff_required
def staff_list(slug: str):
    return jsonify(people.staff_list(get_db(), g.actor, slug))


@bp.post("/offices/<slug>/staff")
@staff_required
def create_staff(slug: str):
    body = _only(json_body(), CREATE_FIELDS)
    staff_id = staff.create_user(
        get_db(), optional_str(body, "username", required=True), optional_str(body, "password", required=True),
        office_slug=slug, role=optional_str(body, "role", required=True), zone_id=body.get("zone_id"),
        display_name=optional_str(body, "display_name") or "", actor=g.actor, now=now())
    return jsonify(people.staff_member(get_db(), g.actor, staff_id)), 201


@bp.patch("/staff/<int:staff_id>")
@staff_required
def change_staff(staff_id: int):
    fields = _only(json_body(), set(staff.EDITABLE))
    staff.update_staff(get_db(), g.actor, staff_id, fields, now=now(), throttle=login_throttle())
    if staff.ends_sessions(fields):
        end_live_sessions(staff_id)
    return jsonify(people.staff_member(get_db(), g.actor, staff_id))


@bp.get("/staff/<int:staff_id>/tokens")
@staff_required
def tokens(staff_id: int):
    return jsonify(people.tokens(get_db(), g.actor, staff_id))


@bp.post("/staff/<int:staff_id>/tokens")
@staff_required
def create_token(staff_id: int):
    body = _only(json_body(), {"name", "days"})
    name = optional_str(body, "name", required=True)
    days = body.get("days", current_app.config["API_TOKEN_DAYS"])
    token_id, token = staff.create_token_for(get_db(), g.actor, staff_id, now=now(), name=name, days=days)
    return jsonify({**next(t for t in people.tokens(get_db(), g.actor, staff_id) if t["id"] == token_id),
                    "token": token}), 201


@bp.delete("/tokens/<int:token_id>")
@staff_required
def revoke_token(token_id: int):
    end_live_sessions(staff.revoke_token(get_db(), g.actor, token_id, now=now()))
    return "", 204


@bp.get("/offices/<slug>/audit")
@staff_required
def audit(slug: str):
    return jsonify(people.audit_entries(get_db(), g.actor, slug, people.AuditFilter.parse(request.args)))


@bp.get("/offices/<slug>/audit.csv")
@staff_required
def audit_csv(slug: str):
    text = people.audit_csv(get_db(), g.actor, slug, people.AuditFilter.parse(request.args))
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="audit-{slug}.csv"'})
