"""OpenAPI paths of an office's catalog: its services and counters as administrators
configure them (staff; admin and owner write, a supervisor may change a counter's state)."""
from __future__ import annotations

from ...domain import catalog
from .common import COUNTER_STATES, STAFF, errors, ok, path_params

_INT = {"type": "integer"}
_OPTIONAL_INT = {"type": ["integer", "null"]}
_BOOL = {"type": "boolean"}
_TEXT = {"type": "string"}

BOOKING = {"type": "object", "description": "The service's booking rule; on a change only the fields given change",
           "properties": {
               "bookable": _BOOL, "slot_minutes": {**_INT, "minimum": 5, "maximum": 240},
               "capacity": {**_INT, "minimum": 1, "maximum": 1000}, "requires_nik": _BOOL,
               "online_join": {**_BOOL, "description": "Citizens may join today's queue from home"},
               "online_daily_quota": {**_INT, "minimum": 0, "maximum": 10000,
                                      "description": "At least 1 when online_join"},
               "notice_days": {**_INT, "minimum": 0, "maximum": 90},
               "horizon_days": {**_INT, "maximum": 365, "description": "At least notice_days (and 1)"},
               "checkin_before_minutes": {**_INT, "minimum": 0, "maximum": 240},
               "checkin_after_minutes": {**_INT, "minimum": 0, "maximum": 240}},
           "additionalProperties": False}
SERVICE_FIELDS = {
    "code": {"type": "string", "pattern": "^[A-Za-z]{1,2}$", "description": "Ticket prefix, unique in the office"},
    "name": {**_TEXT, "maxLength": 200, "description": "Indonesian name"},
    "name_en": {**_TEXT, "maxLength": 200, "description": "English name (default: the Indonesian one)"},
    "active": _BOOL, "daily_quota": {**_OPTIONAL_INT, "minimum": 1, "description": "null: no quota"},
    "expected_minutes": {**_INT, "minimum": 1, "maximum": 480},
    "target_wait_minutes": {**_INT, "minimum": 1, "maximum": 1440},
    "zone_id": {**_OPTIONAL_INT, "description": "A zone of the office; null: the whole office"},
    "position": {**_INT, "minimum": 0, "description": "Order on the kiosk (default: last)"},
    "requirements": {**_TEXT, "description": "One requirement per line"},
    "completion_time": _TEXT, "fee": _TEXT, "product": _TEXT,
    "procedure": {**_TEXT, "description": "Steps of the procedure, one per line"},
    "complaints": {**_TEXT, "maxLength": 500,
                   "description": "How to complain about this service; empty: the office's complaint channel"},
    "booking": BOOKING}
SERVICE = {"type": "object", "properties": {
    **SERVICE_FIELDS, "counters": {"type": "array", "items": _INT, "description": "Numbers of the counters calling it"}}}
COUNTER_FIELDS = {
    "number": {**_INT, "minimum": 1, "maximum": 999}, "name": {**_TEXT, "description": "Default: Loket N"},
    "services": {"type": "object", "additionalProperties": {**_INT, "minimum": 1, "maximum": catalog.MAX_ORDER},
                 "examples": [{"A": 1, "B": 2}],
                 "description": "Service code -> order (lower is called first); replaces the whole list"},
    "priority_first": _BOOL, "zone_id": _OPTIONAL_INT, "state": {"type": "string", "enum": COUNTER_STATES}}
COUNTER = {"type": "object", "properties": {"id": _INT, **COUNTER_FIELDS}}
REFUSALS = ("403 outside the member's office or zone, or a lesser role; 404 office, service or zone unknown; "
            "409 already_exists (code or number taken); 422 invalid_input naming the field, also unknown fields.")


def _body(required: list[str], properties: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": required, "properties": properties, "additionalProperties": False}}}}


def _code() -> list[dict]:
    return [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}]


def catalog_paths() -> dict:
    """Paths to merge into the document (POST /offices/{office}/services sits beside the
    public GET of web.api)."""
    return {
        "/offices/{office}/services/config": {"get": {
            "summary": "The office's services with booking rule and service standard (admin)",
            "security": STAFF, "parameters": path_params("office"),
            "responses": {**ok({"type": "array", "items": SERVICE}), **errors(401, 403, 404)}}},
        "/offices/{office}/services": {"post": {
            "summary": "Add a service (admin)", "description": REFUSALS, "security": STAFF,
            "parameters": path_params("office"), "requestBody": _body(["code", "name"], SERVICE_FIELDS),
            "responses": {**ok(SERVICE, "201", "Added"), **errors(401, 403, 404, 409, 422)}}},
        "/offices/{office}/services/{code}": {"patch": {
            "summary": "Change some fields of a service, its code too (admin)", "description": REFUSALS,
            "security": STAFF, "parameters": path_params("office") + _code(),
            "requestBody": _body([], SERVICE_FIELDS),
            "responses": {**ok(SERVICE), **errors(401, 403, 404, 409, 422)}}},
        "/offices/{office}/counters/config": {"get": {
            "summary": "The office's counters with the services each calls, in order (admin, supervisor)",
            "security": STAFF, "parameters": path_params("office"),
            "responses": {**ok({"type": "array", "items": COUNTER}), **errors(401, 403, 404)}}},
        "/offices/{office}/counters": {"post": {
            "summary": "Add a counter (admin)", "description": REFUSALS, "security": STAFF,
            "parameters": path_params("office"), "requestBody": _body(["number"], COUNTER_FIELDS),
            "responses": {**ok(COUNTER, "201", "Added"), **errors(401, 403, 404, 409, 422)}}},
        "/counters/{id}": {"patch": {
            "summary": "Change some fields of a counter (admin; a supervisor may change only its state)",
            "description": REFUSALS, "security": STAFF, "parameters": path_params("id"),
            "requestBody": _body([], COUNTER_FIELDS),
            "responses": {**ok(COUNTER), **errors(401, 403, 404, 409, 422)}}},
    }
