"""JSON API v1 for office administration (staff): offices, zones, weekly hours, kiosks and
displays; and the office's public logo. Parse, call one use case, answer the read side's
view; the use cases check who may do what."""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, make_response, request

from ..domain import errors, setup
from ..domain.errors import N_
from ..extensions import csrf, get_db, now
from ..queries import admin
from ..services import devices, offices
from .auth import staff_required
from .http import json_body, optional_str

bp = Blueprint("api_offices", __name__)
csrf.exempt(bp)  # staff writes with a cookie session are checked in staff_required

API = "/api/v1"


@bp.post(f"{API}/offices")
@staff_required
def create_office():
    body = json_body()
    slug = offices.create_office(get_db(), g.actor, slug=optional_str(body, "slug", required=True),
                                 name=optional_str(body, "name", required=True),
                                 timezone=optional_str(body, "timezone", required=True),
                                 address=optional_str(body, "address") or "", now=now())
    return jsonify(admin.office_config(get_db(), slug, g.actor)), 201


@bp.get(f"{API}/offices/<slug>/config")
@staff_required
def office_config(slug: str):
    return jsonify(admin.office_config(get_db(), slug, g.actor))


@bp.patch(f"{API}/offices/<slug>")
@staff_required
def update_office(slug: str):
    offices.update_office(get_db(), g.actor, slug, json_body(), now=now())
    return jsonify(admin.office_config(get_db(), slug, g.actor))


@bp.post(f"{API}/offices/<slug>/zones")
@staff_required
def add_zone(slug: str):
    body = json_body()
    zone_id = offices.add_zone(get_db(), g.actor, slug, name=optional_str(body, "name", required=True),
                               agency=optional_str(body, "agency") or "", now=now())
    return jsonify(_zone(slug, zone_id)), 201


@bp.patch(f"{API}/zones/<int:zone_id>")
@staff_required
def update_zone(zone_id: int):
    offices.update_zone(get_db(), g.actor, zone_id, json_body(), now=now())
    return jsonify(_zone(None, zone_id))


def _zone(slug: str | None, zone_id: int) -> dict:
    slug = slug or admin.zone_office(get_db(), zone_id)
    return next(z for z in admin.zones(get_db(), slug, g.actor) if z["id"] == zone_id)


@bp.get(f"{API}/offices/<slug>/hours")
@staff_required
def hours(slug: str):
    return jsonify(admin.hours(get_db(), slug, g.actor))


def _periods(body) -> list[setup.Period]:
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise errors.InvalidInput(N_("hours must be a list of periods"), field="hours")
    return [setup.period(item.get("weekday"), item.get("opens"), item.get("closes"), item.get("breaks") or (),
                         walk_ins=offices.flag(item.get("walk_ins", True), "walk_ins"),
                         appointments=offices.flag(item.get("appointments", True), "appointments"))
            for item in body]


@bp.put(f"{API}/offices/<slug>/hours")
@staff_required
def set_hours(slug: str):
    body = request.get_json(silent=True)
    if body is None:
        abort(400)
    offices.set_hours(get_db(), g.actor, slug, _periods(body), now=now())
    return jsonify(admin.hours(get_db(), slug, g.actor))


# Each kind of device: its use cases (add, update, remove).
DEVICES = {
    "kiosk": (devices.add_kiosk, devices.update_kiosk, devices.remove_kiosk),
    "display": (devices.add_display, devices.update_display, devices.remove_display),
}


def list_devices(slug: str, kind: str):
    return jsonify(admin.devices(get_db(), slug, g.actor)[f"{kind}s"])


def add_device(slug: str, kind: str):
    device_id = DEVICES[kind][0](get_db(), g.actor, slug, json_body(), now=now())
    return jsonify(admin.device(get_db(), kind, device_id, g.actor)), 201


def update_device(device_id: int, kind: str):
    DEVICES[kind][1](get_db(), g.actor, device_id, json_body(), now=now())
    return jsonify(admin.device(get_db(), kind, device_id, g.actor))


def remove_device(device_id: int, kind: str):
    DEVICES[kind][2](get_db(), g.actor, device_id, now=now())
    return "", 204


for _kind in DEVICES:
    _defaults = {"kind": _kind}
    bp.add_url_rule(f"{API}/offices/<slug>/{_kind}s", f"list_{_kind}s", staff_required(list_devices),
                    methods=["GET"], defaults=_defaults)
    bp.add_url_rule(f"{API}/offices/<slug>/{_kind}s", f"add_{_kind}", staff_required(add_device),
                    methods=["POST"], defaults=_defaults)
    bp.add_url_rule(f"{API}/{_kind}s/<int:device_id>", f"update_{_kind}", staff_required(update_device),
                    methods=["PATCH"], defaults=_defaults)
    bp.add_url_rule(f"{API}/{_kind}s/<int:device_id>", f"remove_{_kind}", staff_required(remove_device),
                    methods=["DELETE"], defaults=_defaults)


@bp.get("/offices/<slug>/logo")
def logo(slug: str):
    """The office's logo for kiosks, displays and tickets: public, cached for an hour."""
    found = admin.logo(get_db(), slug)
    if found is None:
        raise errors.NotFound("no logo")
    data, content_type = found
    response = make_response(data)
    response.headers["Content-Type"] = content_type
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    response.add_etag()
    return response.make_conditional(request)
