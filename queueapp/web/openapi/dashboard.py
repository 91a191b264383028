"""OpenAPI paths of the supervisor's dashboard: its snapshot and the actions taken from it
(supervisor, admin, owner; a member of one zone sees and acts on that zone only)."""
from __future__ import annotations

from ...domain.alerts import AlertKind
from .common import COUNTER_STATES, STAFF, TICKET, TICKET_STATUSES, errors, ok, path_params, values

_INT, _STR, _SECONDS = {"type": "integer"}, {"type": "string"}, {"type": ["integer", "null"]}
_TIME = {"type": ["string", "null"], "format": "date-time"}

SERVICE_ROW = {"type": "object", "properties": {
    "code": _STR, "name": _STR, "name_en": _STR, "zone_id": {"type": ["integer", "null"]},
    "waiting": _INT, "longest_wait_seconds": _SECONDS, "oldest_queued_at": _TIME,
    "target_wait_minutes": _INT,
    "breach": {"type": "boolean", "description": "The longest current wait is past the target"},
    "eta_minutes": {"type": ["integer", "null"], "description": "Estimated wait of a new arrival (as the kiosk)"},
    "eta_one_more_minutes": {"type": ["integer", "null"],
                             "description": "A new arrival's estimated wait if one more counter opened now for this service"},
    "counters_open": _INT, "issued": _INT, "served": _INT, "no_show": _INT}}

COUNTER_ROW = {"type": "object", "properties": {
    "id": _INT, "number": _INT, "name": _STR, "zone_id": {"type": ["integer", "null"]},
    "state": {"type": "string", "enum": COUNTER_STATES}, "state_since": _TIME,
    "services": {"type": "array", "items": _STR},
    "clerk": {"type": ["object", "null"], "description": "Who last acted at the counter today (not when closed)",
              "properties": {"id": _INT, "name": _STR}},
    "current": {"type": ["object", "null"], "properties": {
        "id": _INT, "number": _STR, "status": {"type": "string", "enum": TICKET_STATUSES}, "service": _STR,
        "called_at": _TIME, "started_at": _TIME, "serving_seconds": _SECONDS}},
    "idle_since": _TIME, "idle_seconds": _SECONDS, "served": _INT,
    "pause_breach": {"type": "boolean", "description": "Paused longer than the pause alert limit"}}}

ALERT = {"type": "object", "properties": {
    "key": {"type": "string", "examples": ["wait_over_target:A", "counter_paused:3"]},
    "kind": {"type": "string", "enum": values(AlertKind)},
    "subject": {"type": "string", "description": "A service code or a counter number"},
    "minutes": _INT, "limit_minutes": _INT}}

DASHBOARD = {"type": "object", "properties": {
    "office": {"type": "object"}, "zone_id": {"type": ["integer", "null"]},
    "seq": {"type": "integer", "description": "The office's seq the snapshot is valid at"},
    "now": {"type": "string", "format": "date-time"}, "business_date": {"type": "string", "format": "date"},
    "pause_alert_minutes": _INT,
    "services": {"type": "array", "items": SERVICE_ROW},
    "counters": {"type": "array", "items": COUNTER_ROW},
    "totals": {"type": "object", "properties": {name: _INT for name in (
        "issued", "waiting", "at_counters", "on_hold", "served", "no_show", "cancelled")}},
    "arrivals_by_hour": {"type": "array", "items": _INT, "minItems": 24, "maxItems": 24,
                         "description": "Tickets issued in each local hour, 0 to 23"},
    "hour_now": {"type": "integer", "description": "The office's local hour now (0-23)"},
    "alerts": {"type": "array", "items": ALERT},
    "tickets": {"type": "array", "description": "Waiting and held tickets (first 500), for the actions",
                "items": {"type": "object"}}}}


def dashboard_paths() -> dict:
    office_id = path_params("office", "id")
    return {
        "/offices/{office}/dashboard": {"get": {
            "summary": "The supervisor's live dashboard of the office (or of the member's zone)", "security": STAFF,
            "parameters": path_params("office"),
            "responses": {**ok(DASHBOARD), **errors(401, 403, 404)}}},
        "/offices/{office}/dashboard/counters/{id}/state": {"post": {
            "summary": "Open, pause or close a counter from the dashboard", "security": STAFF,
            "parameters": office_id,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["state"],
                "properties": {"state": {"type": "string", "enum": COUNTER_STATES}}}}}},
            "responses": {**ok({"type": "object"}), **errors(400, 401, 403, 404, 422)}}},
        "/offices/{office}/dashboard/tickets/{id}/transfer": {"post": {
            "summary": "Move a waiting ticket to another service, keeping its number", "security": STAFF,
            "parameters": office_id,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["service"], "properties": {
                    "service": _STR, "position": {"type": "string", "enum": ["keep", "end"]}}}}}},
            "responses": {**ok(TICKET), **errors(400, 401, 403, 404, 409, 422)}}},
        "/offices/{office}/dashboard/tickets/{id}/cancel": {"post": {
            "summary": "Cancel a ticket issued by mistake", "security": STAFF, "parameters": office_id,
            "responses": {**ok(TICKET), **errors(400, 401, 403, 404, 409)}}},
    }
