"""OpenAPI paths of the appointment endpoints (merged into /api/v1/openapi.json)."""
from __future__ import annotations

from .common import APPOINTMENT_STATUSES, STAFF, TICKET, errors, ok


def _params(*names: str) -> list[dict]:
    return [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names]


def _body(required: list[str], properties: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": required, "properties": properties}}}}


APPOINTMENT = {"type": "object", "properties": {
    "code": {"type": "string", "examples": ["K7QM-3XPA"]}, "manage_token": {"type": "string"},
    "status": {"type": "string", "enum": APPOINTMENT_STATUSES},
    "start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"},
    "service": {"type": "string"}, "nik_masked": {"type": ["string", "null"]},
    "manage_url": {"type": "string", "format": "uri"}, "qr_url": {"type": "string", "format": "uri"},
    "pdf_url": {"type": "string", "format": "uri"}, "ics_url": {"type": "string", "format": "uri"}}}
SLOT = {"type": "object", "properties": {
    "start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"},
    "capacity": {"type": "integer"}, "remaining": {"type": "integer"}}}
REFUSALS = "409 codes: slot_full, limit_reached, closed, outside_window, not_bookable; 422: invalid_*."
NOTIFY = {"type": "array", "items": {"type": "string", "enum": ["whatsapp", "sms"]}, "uniqueItems": True,
          "description": "The channels the citizen agrees to be told on, with the phone given (empty or absent: "
                         "none). An unknown channel is 422. docs/NOTIFICATIONS.md"}
START = {"type": "string", "format": "date-time", "description": "Slot start with offset, e.g. 2026-11-24T08:00:00+07:00"}


def booking_paths() -> dict:
    return {
        "/offices/{office}/services/{service}/slots": {"get": {
            "summary": "A day's slots with remaining seats (times in the office's zone)",
            "parameters": _params("office", "service") + [
                {"name": "date", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}}],
            "responses": {**ok({"type": "array", "items": SLOT}), **errors(404, 409, 422, 429)}}},
        "/offices/{office}/appointments": {"post": {
            "summary": "Book a slot", "description": REFUSALS, "parameters": _params("office"),
            "requestBody": _body(["service", "start", "name", "phone"], {
                "service": {"type": "string"}, "start": START, "name": {"type": "string"},
                "phone": {"type": "string", "examples": ["081234567890"]},
                "nik": {"type": "string", "pattern": "^[0-9]{16}$",
                        "description": "Required when the service requires it"},
                "notify": NOTIFY}),
            "responses": {**ok(APPOINTMENT, "201", "Booked"), **errors(404, 409, 422, 429)}}},
        "/appointments/{manage_token}": {"get": {
            "summary": "The owner's view of a booking (the token is the secret)",
            "parameters": _params("manage_token"), "responses": {**ok(APPOINTMENT), **errors(404)}}},
        "/appointments/{manage_token}/cancel": {"post": {
            "summary": "Cancel (the seat is offered again after the service's re-offer delay)",
            "parameters": _params("manage_token"),
            "responses": {**ok(APPOINTMENT), **errors(404, 409, 429)}}},
        "/appointments/{manage_token}/reschedule": {"post": {
            "summary": "Move to another slot: a new booking (new code and token) replaces the old",
            "description": REFUSALS, "parameters": _params("manage_token"),
            "requestBody": _body(["start"], {"start": START}),
            "responses": {**ok(APPOINTMENT, "201", "Moved"), **errors(404, 409, 422, 429)}}},
        "/offices/{office}/check-in": {"post": {
            "summary": "Check in with a booking code: a ticket (channel appointment) in today's queue",
            "description": "409 too_early (message says when to come back), too_late, appointment_not_active; "
                           "404 appointment_not_found. A repeated check-in returns the same ticket (200).",
            "parameters": _params("office"),
            "requestBody": _body(["code"], {"code": {"type": "string", "examples": ["K7QM-3XPA"]}}),
            "responses": {**ok(TICKET, "201", "Checked in"), **ok(TICKET, "200", "Already checked in"),
                          **errors(404, 409, 422, 429)}}},
        "/offices/{office}/services/{service}/join": {"post": {
            "summary": "Join today's queue from home (channel online), while the online quota lasts",
            "parameters": _params("office", "service"),
            "requestBody": _body(["phone"], {"phone": {"type": "string"}, "notify": NOTIFY}),
            "responses": {**ok(TICKET, "201", "Issued"), **errors(404, 409, 422, 429)}}},
        "/offices/{office}/holidays": {
            "get": {"summary": "The office's closed days", "security": STAFF, "parameters": _params("office"),
                    "responses": {**ok({"type": "array", "items": {"type": "object"}}), **errors(401, 403, 404)}},
            "post": {"summary": "Add closed days (admin, supervisor)", "security": STAFF,
                     "parameters": _params("office"),
                     "requestBody": _body(["holidays"], {"holidays": {"type": "array", "items": {
                         "type": "object", "properties": {"date": {"type": "string", "format": "date"},
                                                          "name": {"type": "string"}}}}}),
                     "responses": {**ok({"type": "object"}, "201", "Added"), **errors(401, 403, 404, 422)}}},
        "/offices/{office}/holidays/{date}": {"delete": {
            "summary": "Remove a closed day (admin, supervisor)", "security": STAFF,
            "parameters": _params("office", "date"),
            "responses": {**ok({"type": "object"}), **errors(401, 403, 404, 422)}}},
    }
