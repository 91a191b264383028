"""OpenAPI paths of the people endpoints: staff accounts, API tokens, the audit log."""
from __future__ import annotations

from ...domain.audit import AuditAction
from ...domain.permissions import Role
from .common import STAFF, errors, ok, path_params, values

ROLES = values(Role)
MEMBER = {"type": "object", "properties": {
    "id": {"type": "integer"}, "username": {"type": "string"}, "display_name": {"type": "string"},
    "role": {"type": "string", "enum": ROLES}, "zone_id": {"type": ["integer", "null"]},
    "zone": {"type": ["string", "null"]}, "active": {"type": "boolean"},
    "last_login_at": {"type": ["string", "null"], "format": "date-time"}}}
TOKEN = {"type": "object", "properties": {
    "id": {"type": "integer"}, "name": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
    "expires_at": {"type": "string", "format": "date-time",
                   "description": "After it the token answers 401 with the code token_expired"},
    "last_used_at": {"type": ["string", "null"], "format": "date-time",
                     "description": "To a few minutes; null: never used"}}}
ENTRY = {"type": "object", "properties": {
    "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}, "username": {"type": "string"},
    "action": {"type": "string", "examples": values(AuditAction)[:3]}, "target": {"type": "string"},
    "changes": {"type": "object", "description": "{field: [before, after]}, or {field: value} of a new thing"},
    "address": {"type": "string"}, "zone_id": {"type": ["integer", "null"]}}}
PASSWORD = {"type": "string", "minLength": 8, "writeOnly": True,
            "description": "Not a common password, a sequence or repeat, nor containing the username or the "
                           "office slug"}


def _body(required: list[str], properties: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": required, "properties": properties, "additionalProperties": False}}}}


def _query(name: str, description: str, fmt: str | None = None) -> dict:
    schema = {"type": "integer"} if name == "limit" else {"type": "string"}
    if fmt:
        schema["format"] = fmt
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


AUDIT_FILTERS = [
    _query("action", "An action or its beginning: staff.login, staff., service."),
    _query("user", "One username"),
    _query("since", "From this day (the office's day), inclusive", "date"),
    _query("until", "Up to this day, inclusive", "date"),
    _query("q", "Text in the target, e.g. loket1 or service:A"),
    _query("limit", "1-1000, default 100 (the CSV holds up to 50000)"),
]
MANAGE = "Needs the manage-staff permission (owner, admin) in the member's office and zone; " \
         "a role or zone above the caller's own is refused (403)."


def staff_paths() -> dict:
    return {
        "/offices/{office}/staff": {
            "get": {"summary": "The office's staff accounts (a zone's admin sees its zone)", "security": STAFF,
                    "description": MANAGE, "parameters": path_params("office"),
                    "responses": {**ok({"type": "array", "items": MEMBER}), **errors(401, 403, 404)}},
            "post": {"summary": "Create a staff account (the password is never echoed)", "security": STAFF,
                     "description": MANAGE + " 409 already_exists for a taken username.",
                     "parameters": path_params("office"),
                     "requestBody": _body(["username", "password", "role"], {
                         "username": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{1,63}$"},
                         "password": PASSWORD, "role": {"type": "string", "enum": ROLES[1:]},
                         "zone_id": {"type": ["integer", "null"]}, "display_name": {"type": "string"}}),
                     "responses": {**ok(MEMBER, "201", "Created"), **errors(401, 403, 404, 409, 422)}}},
        "/staff/{id}": {"patch": {
            "summary": "Change role, zone, display name, active or password",
            "description": MANAGE + " A new role, zone or password, or deactivation, ends the member's "
                                    "sessions and live sockets; deactivation also revokes their API tokens; "
                                    "a new password also lifts a log-in lock. "
                                    "No one deactivates, demotes or moves themselves (422).",
            "security": STAFF, "parameters": path_params("id"),
            "requestBody": _body([], {
                "role": {"type": "string", "enum": ROLES}, "zone_id": {"type": ["integer", "null"]},
                "display_name": {"type": "string"}, "active": {"type": "boolean"}, "password": PASSWORD}),
            "responses": {**ok(MEMBER), **errors(401, 403, 404, 422)}}},
        "/staff/{id}/tokens": {
            "get": {"summary": "A member's API tokens (never the token)", "security": STAFF,
                    "description": MANAGE, "parameters": path_params("id"),
                    "responses": {**ok({"type": "array", "items": TOKEN}), **errors(401, 403, 404)}},
            "post": {"summary": "Create an API token; the token is shown in this answer only", "security": STAFF,
                     "description": MANAGE, "parameters": path_params("id"),
                     "requestBody": _body(["name"], {
                         "name": {"type": "string", "maxLength": 100},
                         "days": {"type": "integer", "minimum": 1, "maximum": 3650,
                                  "description": "How long it works; default QUEUEAPP_API_TOKEN_DAYS (90)"}}),
                     "responses": {**ok({"type": "object", "properties": {
                         **TOKEN["properties"], "token": {"type": "string"}}},
                         "201", "Created"), **errors(401, 403, 404, 422)}}},
        "/tokens/{id}": {"delete": {
            "summary": "Revoke an API token (it stops working at once)", "security": STAFF,
            "description": MANAGE, "parameters": path_params("id"),
            "responses": {"204": {"description": "Revoked"}, **errors(401, 403, 404)}}},
        "/offices/{office}/audit": {"get": {
            "summary": "The audit log, newest first (needs the view-audit permission)", "security": STAFF,
            "parameters": path_params("office") + AUDIT_FILTERS,
            "responses": {**ok({"type": "array", "items": ENTRY}), **errors(401, 403, 404, 422)}}},
        "/offices/{office}/audit.csv": {"get": {
            "summary": "The audit log as CSV: at, username, action, target, changes (JSON), address",
            "security": STAFF, "parameters": path_params("office") + AUDIT_FILTERS,
            "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                          **errors(401, 403, 404, 422)}}},
    }
