"""JSON API v1, an office's catalog (staff): read, add and change services and counters.
The public board state of services and counters stays in web.api."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from ..extensions import csrf, get_db, now
from ..queries import catalog as views
from ..services import catalog
from .auth import staff_required
from .http import json_body

bp = Blueprint("api_catalog", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # staff writes with a cookie session are checked in staff_required


@bp.get("/offices/<slug>/services/config")
@staff_required
def services(slug: str):
    return jsonify(views.services(get_db(), g.actor, slug))


@bp.post("/offices/<slug>/services")
@staff_required
def add_service(slug: str):
    code = catalog.add_service(get_db(), g.actor, slug, json_body(), now=now())
    return jsonify(views.service(get_db(), g.actor, slug, code)), 201


@bp.patch("/offices/<slug>/services/<code>")
@staff_required
def update_service(slug: str, code: str):
    code = catalog.update_service(get_db(), g.actor, slug, code, json_body(), now=now())
    return jsonify(views.service(get_db(), g.actor, slug, code))


@bp.get("/offices/<slug>/counters/config")
@staff_required
def counters(slug: str):
    return jsonify(views.counters(get_db(), g.actor, slug))


@bp.post("/offices/<slug>/counters")
@staff_required
def add_counter(slug: str):
    counter_id = catalog.add_counter(get_db(), g.actor, slug, json_body(), now=now())
    return jsonify(views.counter(get_db(), g.actor, counter_id)), 201


@bp.patch("/counters/<int:counter_id>")
@staff_required
def update_counter(counter_id: int):
    catalog.update_counter(get_db(), g.actor, counter_id, json_body(), now=now())
    return jsonify(views.counter(get_db(), g.actor, counter_id))
