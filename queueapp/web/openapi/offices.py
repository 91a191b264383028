"""OpenAPI paths of office administration: offices, zones, weekly hours, kiosks, displays."""
from __future__ import annotations

from .common import STAFF, errors, ok, path_params

TIMEZONE = {"type": "string", "examples": ["WITA"],
            "description": "WIB, WITA, WIT, or Asia/Jakarta, Asia/Makassar, Asia/Jayapura"}
OFFICE_FIELDS = {
    "name": {"type": "string"}, "address": {"type": "string"}, "timezone": TIMEZONE,
    "running_text": {"type": "string"}, "max_calls": {"type": "integer", "minimum": 1, "maximum": 10},
    "finish_on_call_next": {"type": "boolean"}, "contact": {"type": "string"},
    "complaint_channel": {"type": "string"},
    "pledge": {"type": "string", "maxLength": 4000,
               "description": "The service pledge (maklumat pelayanan); empty: the standard wording is published"},
    "pledge_on_display": {"type": "boolean", "description": "The lobby display shows the pledge now and then"},
    "closed": {"type": "boolean", "description": "Closed by hand; a supervisor may change this field alone"}}
ZONE = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                         "agency": {"type": "string"}, "position": {"type": "integer"}}}
CONFIG = {"type": "object", "properties": {
    "slug": {"type": "string"}, **OFFICE_FIELDS, "timezone_name": {"type": "string", "examples": ["WITA"]},
    "logo_type": {"type": ["string", "null"]}, "zones": {"type": "array", "items": ZONE}}}
TIME = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "examples": ["08:00"]}
PERIOD = {"type": "object", "required": ["weekday", "opens", "closes"], "properties": {
    "weekday": {"type": "integer", "minimum": 1, "maximum": 7, "description": "1 Monday .. 7 Sunday"},
    "opens": TIME, "closes": TIME,
    "breaks": {"type": "array", "items": {"type": "array", "items": TIME, "minItems": 2, "maxItems": 2},
               "examples": [[["11:30", "13:00"]]]},
    "walk_ins": {"type": "boolean", "default": True}, "appointments": {"type": "boolean", "default": True}}}
HOURS = {"type": "array", "items": PERIOD}
KIOSK_FIELDS = {
    "name": {"type": "string"}, "paper": {"type": "integer", "enum": [80, 58]},
    "printer": {"type": "string", "examples": ["browser", "network:192.168.1.50:9100", "usb:04b8:0e15",
                                              "file:/dev/usb/lp0"]},
    "zone_id": {"type": ["integer", "null"]}}
DISPLAY_FIELDS = {
    "name": {"type": "string"}, "zone_id": {"type": ["integer", "null"]},
    "services": {"type": "array", "items": {"type": "string"}, "description": "Service codes; none: all"},
    "language": {"type": "string", "enum": ["id", "en", "id,en"]},
    "repeat": {"type": "integer", "minimum": 1, "maximum": 3},
    "calls": {"type": "integer", "minimum": 1, "maximum": 8, "default": 4,
              "description": "How many calls the display shows together"}}
WRITE = "403 for another office or a lesser role, 404 unknown office, 409 a name taken, 422 bad input."


def _body(required: list[str], properties: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": required, "properties": properties}}}}


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": {"id": {"type": "integer"}, **properties}}


def _devices(kind: str, fields: dict) -> dict:
    item = _object(fields)
    return {
        f"/offices/{{office}}/{kind}s": {
            "get": {"summary": f"The office's {kind}s", "security": STAFF, "parameters": path_params("office"),
                    "responses": {**ok({"type": "array", "items": item}), **errors(401, 403, 404)}},
            "post": {"summary": f"Add a {kind} (admin)", "description": WRITE, "security": STAFF,
                     "parameters": path_params("office"), "requestBody": _body(["name"], fields),
                     "responses": {**ok(item, "201", "Added"), **errors(401, 403, 404, 409, 422)}}},
        f"/{kind}s/{{id}}": {
            "patch": {"summary": f"Change a {kind} (admin)", "description": WRITE, "security": STAFF,
                      "parameters": path_params("id"), "requestBody": _body([], fields),
                      "responses": {**ok(item), **errors(401, 403, 404, 409, 422)}},
            "delete": {"summary": f"Remove a {kind} (admin)", "security": STAFF, "parameters": path_params("id"),
                       "responses": {"204": {"description": "Removed"}, **errors(401, 403, 404)}}},
    }


def office_paths() -> dict:
    office = path_params("office")
    return {
        "/offices/{office}/config": {"get": {
            "summary": "An office's settings and zones (admin, supervisor)", "security": STAFF,
            "parameters": office, "responses": {**ok(CONFIG), **errors(401, 403, 404)}}},
        "/offices/{office}": {"patch": {
            "summary": "Change an office's settings (admin; a supervisor only `closed`)", "description": WRITE,
            "security": STAFF, "parameters": office, "requestBody": _body([], OFFICE_FIELDS),
            "responses": {**ok(CONFIG), **errors(401, 403, 404, 422)}}},
        "/offices/{office}/zones": {"post": {
            "summary": "Add a zone (an agency of an MPP, a floor)", "description": WRITE, "security": STAFF,
            "parameters": office, "requestBody": _body(["name"], {"name": {"type": "string"},
                                                                   "agency": {"type": "string"}}),
            "responses": {**ok(ZONE, "201", "Added"), **errors(401, 403, 404, 409, 422)}}},
        "/zones/{id}": {"patch": {
            "summary": "Rename a zone, change its agency or position", "description": WRITE, "security": STAFF,
            "parameters": path_params("id"), "requestBody": _body([], ZONE["properties"]),
            "responses": {**ok(ZONE), **errors(401, 403, 404, 409, 422)}}},
        "/offices/{office}/hours": {
            "get": {"summary": "The weekly opening hours", "security": STAFF, "parameters": office,
                    "responses": {**ok(HOURS), **errors(401, 403, 404)}},
            "put": {"summary": "Replace the weekly opening hours (admin)",
                    "description": "Two periods of a day serving the same visitors must not overlap (422). "
                                   + WRITE, "security": STAFF, "parameters": office,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": HOURS}}},
                    "responses": {**ok(HOURS), **errors(400, 401, 403, 404, 422)}}},
        **_devices("kiosk", KIOSK_FIELDS),
        **_devices("display", DISPLAY_FIELDS),
    }


def create_office_path() -> dict:
    """POST beside the public GET /offices (the office list)."""
    return {"post": {
        "summary": "Create an office (owner)", "description": "409 slug taken; 422 bad slug or time zone.",
        "security": STAFF, "requestBody": _body(["slug", "name", "timezone"], {
            "slug": {"type": "string", "examples": ["kec-panakkukang"]}, "name": {"type": "string"},
            "timezone": TIMEZONE, "address": {"type": "string"}}),
        "responses": {**ok(CONFIG, "201", "Created"), **errors(401, 403, 409, 422)}}}
