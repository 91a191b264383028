"""OpenAPI paths of web push: the server's VAPID public key, and a ticket's push
subscription (the browser's PushSubscription.toJSON(); the ticket's token is the key)."""
from __future__ import annotations

from ...domain.push import MAX_ENDPOINT
from .common import STAFF, errors, ok, path_params

ENDPOINT = {"type": "string", "format": "uri", "maxLength": MAX_ENDPOINT, "pattern": "^https://",
            "description": "The push service's https URL for this browser (personal data: never logged, "
                           "deleted with the ticket's other personal data)"}
SUBSCRIPTION = {"type": "object", "required": ["endpoint", "keys"], "properties": {
    "endpoint": ENDPOINT,
    "expirationTime": {"type": ["number", "null"]},
    "keys": {"type": "object", "required": ["p256dh", "auth"], "properties": {
        "p256dh": {"type": "string", "description": "base64url of the browser's P-256 public key (65 bytes)"},
        "auth": {"type": "string", "description": "base64url of the 16-byte auth secret"}}}}}


CONTACT = {"type": "object", "required": ["ticket", "phone", "whatsapp_url"], "properties": {
    "ticket": {"type": ["object", "null"], "properties": {
        "id": {"type": "integer"}, "number": {"type": "string"}, "status": {"type": "string"}}},
    "phone": {"type": ["string", "null"], "description": "+62..., when the citizen gave one"},
    "whatsapp_url": {"type": ["string", "null"], "format": "uri",
                     "description": "https://wa.me/62...?text=<the office's \"called\" text>"}}}


def push_paths() -> dict:
    return {
        "/counters/{id}/contact": {"get": {
            "summary": "The phone of the citizen at this counter and a prefilled wa.me link (staff)",
            "description": "For a clerk without a message provider: the phone of the ticket standing at the "
                           "counter (its booking's, or one recorded with consent for WhatsApp/SMS) and a wa.me "
                           "link with the office's \"called\" text. Staff who may serve at the counter only; "
                           "nulls when no one stands there or the citizen gave no phone.",
            "security": STAFF, "parameters": path_params("id"),
            "responses": {**ok(CONTACT), **errors(401, 403, 404)}}},
        "/push/key": {"get": {
            "summary": "The server's VAPID public key (applicationServerKey for pushManager.subscribe)",
            "responses": ok({"type": "object", "required": ["public_key"], "properties": {
                "public_key": {"type": "string", "description": "base64url of the P-256 public key"}}})}},
        "/tickets/{token}/push": {
            "post": {
                "summary": "Notify this browser about the ticket by web push",
                "description": "The status page's \"Notify me\" posts the browser's push subscription. The "
                               "endpoint must be an https URL of a named host, at most "
                               f"{MAX_ENDPOINT} characters; the keys a P-256 point and a 16-byte secret "
                               "(else 422, invalid_subscription). The same endpoint again updates it; a ticket "
                               "keeps its five newest browsers. A finished ticket answers 409 (ticket_finished). "
                               "Messages are in the request's language (Accept-Language or ?lang=).",
                "parameters": path_params("token"),
                "requestBody": {"required": True, "content": {"application/json": {"schema": SUBSCRIPTION}}},
                "responses": {**ok({"type": "object", "properties": {"subscribed": {"type": "boolean"}}}, "201",
                                   "Subscribed"), **errors(404, 409, 413, 422)}},
            "delete": {
                "summary": "Stop notifying this browser about the ticket",
                "parameters": path_params("token"),
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["endpoint"], "properties": {"endpoint": ENDPOINT}}}}},
                "responses": {"204": {"description": "Not subscribed (any more)"}, **errors(404, 413, 422)}}},
    }
