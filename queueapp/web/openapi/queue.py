"""OpenAPI paths of the queue: offices, boards, tickets, counters."""
from __future__ import annotations

from .common import COUNTER_STATES, PRIORITIES, STAFF, TICKET, errors, ok, path_params, ticket_action


HEALTH = {"type": "object", "required": ["status", "database", "redis", "disk"], "properties": {
    "status": {"type": "string", "enum": ["ok", "degraded", "unavailable"]},
    "database": {"type": "string", "enum": ["ok", "unreachable", "not_writable"]},
    "redis": {"type": "string", "enum": ["ok", "unreachable", "not_configured"]},
    "disk": {"type": "string", "enum": ["ok", "low", "not_writable"]},
    "disk_free_mb": {"type": ["integer", "null"]}}}


def queue_paths() -> dict:
    paths = {
        "/health": {"get": {"summary": "Database (reachable, writable), Redis and disk of this process",
                            "responses": {**ok(HEALTH, description="Serving: ok, or degraded (Redis or disk)"),
                                          **ok(HEALTH, "503", "Database unreachable or not writable")}}},
        "/offices": {"get": {"summary": "All offices", "responses": ok(
            {"type": "array", "items": {"$ref": "#/components/schemas/Office"}})}},
        "/offices/{office}/services": {"get": {
            "summary": "Services with waiting count, ETA and quota left",
            "parameters": path_params("office"),
            "responses": {**ok({"type": "array", "items": {"$ref": "#/components/schemas/ServiceStatus"}}),
                          **errors(404)}}},
        "/offices/{office}/counters": {"get": {"summary": "Counters and what stands at each",
                                               "parameters": path_params("office"),
                                               "responses": {**ok({"type": "array", "items": {"type": "object"}}),
                                                             **errors(404)}}},
        "/offices/{office}/board": {"get": {"summary": "Display snapshot with the office's seq",
                                            "parameters": path_params("office"),
                                            "responses": {**ok({"$ref": "#/components/schemas/Board"}),
                                                          **errors(404)}}},
        "/offices/{office}/tickets": {"post": {
            "summary": "Take a number (a paired kiosk or staff)",
            "description": "Only a paired kiosk (its device token as a bearer token, or the HttpOnly cookie its "
                           "browser got from a pairing link) or staff (an API token, or a session with the CSRF "
                           "header) take a number; anyone else gets 401. Citizens join from home through "
                           "`/offices/{office}/services/{service}/join`. The channel follows the caller (kiosk "
                           "or staff), never the body. Rate limits: QUEUEAPP_TICKET_RATE_LIMIT per client "
                           "address, QUEUEAPP_TICKET_DEVICE_RATE_LIMIT per kiosk or staff member (429).",
            "security": [{"bearerAuth": []}, {"kioskCookie": []}, {"cookieAuth": []}],
            "parameters": path_params("office") + [
                {"name": "Idempotency-Key", "in": "header", "required": False,
                 "schema": {"type": "string", "maxLength": 64},
                 "description": "The same request (body and caller) with the same key within "
                                "QUEUEAPP_IDEMPOTENCY_HOURS (24) returns the same ticket (200); another "
                                "request with the key is refused (422, idempotency_key_reused)."}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["service"], "properties": {
                    "service": {"type": "string", "description": "Service letter prefix, e.g. A"},
                    "priority": {"type": ["string", "null"], "enum": PRIORITIES + [None],
                                 "description": "A priority group (UU 25/2009), chosen at the kiosk or by staff"}}}}}},
            "responses": {**ok(TICKET, "201", "Issued"), **ok(TICKET, "200", "Replayed"),
                          **errors(400, 401, 403, 404, 409, 413, 422, 429)}}},
        "/tickets/{token}": {"get": {"summary": "Public status of one ticket (no personal data)",
                                     "parameters": path_params("token"),
                                     "responses": {**ok(TICKET), **errors(404)}}},
        "/tickets/{token}/leave": {"post": {"summary": "The citizen leaves the queue",
                                            "parameters": path_params("token"),
                                            "responses": {**ok(TICKET), **errors(404, 409)}}},
        "/counters/{id}/call-next": {"post": {
            "summary": "Call whoever is next for this counter", "security": STAFF,
            "parameters": path_params("id"),
            "responses": {**ok(TICKET), **errors(401, 403, 404, 409)}}},
        "/counters/{id}/call": {"post": {
            "summary": "Call a given number out of turn", "security": STAFF, "parameters": path_params("id"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["number"], "properties": {"number": {"type": "string"}}}}}},
            "responses": {**ok(TICKET), **errors(401, 403, 404, 409, 422)}}},
        "/counters/{id}/state": {"post": {
            "summary": "Open, pause or close a counter", "security": STAFF, "parameters": path_params("id"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["state"],
                "properties": {"state": {"type": "string", "enum": COUNTER_STATES}}}}}},
            "responses": {**ok({"type": "object"}), **errors(401, 403, 404, 422)}}},
        "/tickets/{id}/transfer": {"post": {
            "summary": "Move a ticket to another service, keeping its number", "security": STAFF,
            "parameters": path_params("id"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["service"], "properties": {
                    "service": {"type": "string"},
                    "position": {"type": "string", "enum": ["keep", "end"],
                                 "description": "keep: its original place in time (default); end: back of the line"}}}}}},
            "responses": {**ok(TICKET), **errors(401, 403, 404, 409, 422)}}},
    }
    for action, summary in [("recall", "Call the ticket again"), ("start", "Start serving"),
                            ("finish", "Finish serving"), ("no-show", "The citizen did not come"),
                            ("hold", "Set aside"), ("resume", "Back in line"), ("cancel", "Cancel")]:
        paths[f"/tickets/{{id}}/{action}"] = ticket_action(summary)
    return paths
