"""OpenAPI paths of the notification endpoints (docs/NOTIFICATIONS.md)."""
from __future__ import annotations

from .common import STAFF, errors, ok, path_params


WITHDRAWN = {"type": "object", "properties": {"withdrawn": {"type": "integer", "description": "consents withdrawn"}}}


def notify_paths() -> dict:
    return {
        "/tickets/{id}/notify": {"post": {
            "summary": "Record a citizen's consent to messages about this ticket (clerk, own office)",
            "description": "For a citizen without a smartphone: the clerk types the phone and the channel the "
                           "citizen agreed to; the \"joined\" message is queued. 422 invalid_phone, invalid_input.",
            "security": STAFF, "parameters": path_params("id"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["channel", "phone"], "properties": {
                    "channel": {"type": "string", "enum": ["whatsapp", "sms"]},
                    "phone": {"type": "string", "examples": ["081234567890"]},
                    "language": {"type": "string", "enum": ["id", "en"]}}}}}},
            "responses": {**ok({"type": "object", "properties": {
                "ticket_id": {"type": "integer"}, "channel": {"type": "string"},
                "consent": {"type": "string"}}}, "201", "Recorded"), **errors(401, 403, 404, 422)}}},
        "/tickets/{token}/notify/stop": {"post": {
            "summary": "The citizen stops the messages of their ticket (withdraws every consent)",
            "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {**ok(WITHDRAWN), **errors(404)}}},
        "/appointments/{manage_token}/notify/stop": {"post": {
            "summary": "The citizen stops the messages of their booking (withdraws every consent)",
            "parameters": [{"name": "manage_token", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {**ok(WITHDRAWN), **errors(404)}}},
    }
