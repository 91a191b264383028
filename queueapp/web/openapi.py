"""The OpenAPI 3.1 document of API v1, served at /api/v1/openapi.json."""
from __future__ import annotations

ERROR = {"$ref": "#/components/schemas/Error"}
PRIORITIES = ["lansia", "disabilitas", "ibu_hamil", "anak", "korban_bencana"]


def _errors(*codes: int) -> dict:
    return {str(code): {"description": "Error", "content": {"application/json": {"schema": ERROR}}}
            for code in codes}


def _ok(schema: dict, code: str = "200", description: str = "OK") -> dict:
    return {code: {"description": description, "content": {"application/json": {"schema": schema}}}}


def _path_params(*names: str) -> list[dict]:
    types = {"office": "string", "token": "string", "id": "integer"}
    return [{"name": n, "in": "path", "required": True, "schema": {"type": types[n]}} for n in names]


STAFF = [{"bearerAuth": []}, {"cookieAuth": []}]
TICKET = {"$ref": "#/components/schemas/Ticket"}


def _ticket_action(summary: str) -> dict:
    return {"post": {"summary": summary, "security": STAFF, "parameters": _path_params("id"),
                     "responses": {**_ok(TICKET), **_errors(401, 403, 404, 409)}}}


def spec() -> dict:
    paths = {
        "/health": {"get": {"summary": "Database reachable", "responses": {
            **_ok({"type": "object", "properties": {"status": {"type": "string"}}}),
            "503": {"description": "Database unreachable"}}}},
        "/offices": {"get": {"summary": "All offices", "responses": _ok(
            {"type": "array", "items": {"$ref": "#/components/schemas/Office"}})}},
        "/offices/{office}/services": {"get": {
            "summary": "Services with waiting count, ETA and quota left",
            "parameters": _path_params("office"),
            "responses": {**_ok({"type": "array", "items": {"$ref": "#/components/schemas/ServiceStatus"}}),
                          **_errors(404)}}},
        "/offices/{office}/counters": {"get": {"summary": "Counters and what stands at each",
                                               "parameters": _path_params("office"),
                                               "responses": {**_ok({"type": "array", "items": {"type": "object"}}),
                                                             **_errors(404)}}},
        "/offices/{office}/board": {"get": {"summary": "Display snapshot with the office's seq",
                                            "parameters": _path_params("office"),
                                            "responses": {**_ok({"$ref": "#/components/schemas/Board"}),
                                                          **_errors(404)}}},
        "/offices/{office}/tickets": {"post": {
            "summary": "Take a number",
            "parameters": _path_params("office") + [
                {"name": "Idempotency-Key", "in": "header", "required": False,
                 "schema": {"type": "string", "maxLength": 64},
                 "description": "A retried request with the same key returns the same ticket (200)."}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["service"], "properties": {
                    "service": {"type": "string", "description": "Service letter prefix, e.g. A"},
                    "priority": {"type": ["string", "null"], "enum": PRIORITIES + [None]},
                    "channel": {"type": "string", "enum": ["kiosk", "online", "staff"]}}}}}},
            "responses": {**_ok(TICKET, "201", "Issued"), **_ok(TICKET, "200", "Replayed"),
                          **_errors(400, 404, 409, 422)}}},
        "/tickets/{token}": {"get": {"summary": "Public status of one ticket (no personal data)",
                                     "parameters": _path_params("token"),
                                     "responses": {**_ok(TICKET), **_errors(404)}}},
        "/tickets/{token}/leave": {"post": {"summary": "The citizen leaves the queue",
                                            "parameters": _path_params("token"),
                                            "responses": {**_ok(TICKET), **_errors(404, 409)}}},
        "/counters/{id}/call-next": {"post": {
            "summary": "Call whoever is next for this counter", "security": STAFF,
            "parameters": _path_params("id"),
            "responses": {**_ok(TICKET), **_errors(401, 403, 404, 409)}}},
        "/counters/{id}/call": {"post": {
            "summary": "Call a given number out of turn", "security": STAFF, "parameters": _path_params("id"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["number"], "properties": {"number": {"type": "string"}}}}}},
            "responses": {**_ok(TICKET), **_errors(401, 403, 404, 409, 422)}}},
        "/counters/{id}/state": {"post": {
            "summary": "Open, pause or close a counter", "security": STAFF, "parameters": _path_params("id"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["state"],
                "properties": {"state": {"type": "string", "enum": ["open", "paused", "closed"]}}}}}},
            "responses": {**_ok({"type": "object"}), **_errors(401, 403, 404, 422)}}},
        "/tickets/{id}/transfer": {"post": {
            "summary": "Move a ticket to another service, keeping its number", "security": STAFF,
            "parameters": _path_params("id"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["service"], "properties": {
                    "service": {"type": "string"},
                    "position": {"type": "string", "enum": ["keep", "end"],
                                 "description": "keep: its original place in time (default); end: back of the line"}}}}}},
            "responses": {**_ok(TICKET), **_errors(401, 403, 404, 409, 422)}}},
    }
    for action, summary in [("recall", "Call the ticket again"), ("start", "Start serving"),
                            ("finish", "Finish serving"), ("no-show", "The citizen did not come"),
                            ("hold", "Set aside"), ("resume", "Back in line"), ("cancel", "Cancel")]:
        paths[f"/tickets/{{id}}/{action}"] = _ticket_action(summary)
    from .openapi_booking import booking_paths
    paths.update(booking_paths())
    paths.update(kiosk_paths())
    return {
        "openapi": "3.1.0",
        "info": {"title": "queueapp API", "version": "1",
                 "description": "Queue and appointment system for Indonesian public-service offices. "
                                "Error messages follow Accept-Language (id by default, en)."},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"},
                                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
                "Office": {"type": "object", "properties": {
                    "slug": {"type": "string"}, "name": {"type": "string"}, "timezone": {"type": "string"},
                    "address": {"type": "string"}, "open": {"type": "boolean"}}},
                "ServiceStatus": {"type": "object", "properties": {
                    "code": {"type": "string"}, "name": {"type": "string"}, "name_en": {"type": "string"},
                    "open": {"type": "boolean"}, "waiting": {"type": "integer"},
                    "eta_minutes": {"type": ["integer", "null"]}, "quota_left": {"type": ["integer", "null"]}}},
                "Ticket": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "number": {"type": "string", "examples": ["A-001"]},
                    "token": {"type": "string"}, "status": {"type": "string", "enum": [
                        "waiting", "called", "serving", "done", "no_show", "on_hold", "transferred",
                        "cancelled"]},
                    "service": {"type": "object"}, "priority": {"type": ["string", "null"]},
                    "position": {"type": ["integer", "null"]}, "eta_minutes": {"type": ["integer", "null"]},
                    "counter": {"type": ["object", "null"]}, "status_url": {"type": "string", "format": "uri"},
                    "pdf_url": {"type": "string", "format": "uri",
                                "description": "Printable ticket; add ?paper=80 or ?paper=58"}}},
                "Board": {"type": "object", "properties": {
                    "seq": {"type": "integer"}, "calls": {"type": "array", "items": {"type": "object"}},
                    "services": {"type": "array", "items": {"$ref": "#/components/schemas/ServiceStatus"}}}},
            },
        },
    }


def kiosk_paths() -> dict:
    """Printing a ticket: from the kiosk (within a minute of issue) or by staff (any time)."""
    printed = _ok({"type": "object", "properties": {
        "printed": {"type": "boolean", "description": "true when sent to an ESC/POS printer"},
        "print": {"type": "string", "enum": ["browser", "escpos"]},
        "pdf_url": {"type": "string", "format": "uri"}}})
    failed = {"503": {"description": "The printer failed (code printer_failed); the ticket stays valid",
                      "content": {"application/json": {"schema": ERROR}}}}
    return {
        "/offices/{office}/kiosk/print": {"post": {
            "summary": "Print (or reprint) a ticket at a kiosk, within a minute of its issue",
            "parameters": _path_params("office"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["token"], "properties": {
                    "token": {"type": "string"},
                    "kiosk": {"type": ["string", "null"], "description": "Kiosk name (queueapp kiosk)"}}}}}},
            "responses": {**printed, **_errors(404, 409, 422), **failed}}},
        "/tickets/{id}/reprint": {"post": {
            "summary": "Staff reprint a ticket of their office at any time",
            "security": STAFF, "parameters": _path_params("id"),
            "requestBody": {"required": False, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"kiosk": {"type": "string",
                                                           "description": "Print on this kiosk's printer"}}}}}},
            "responses": {**printed, **_errors(401, 403, 404), **failed}}},
    }
