"""OpenAPI paths of ticket printing: at a kiosk within a minute of issue, or by staff."""
from __future__ import annotations

from .common import ERROR, STAFF, errors, ok, path_params


def kiosk_paths() -> dict:
    """Printing a ticket: from the kiosk (within a minute of issue) or by staff (any time)."""
    printed = ok({"type": "object", "properties": {
        "printed": {"type": "boolean", "description": "true when sent to an ESC/POS printer"},
        "print": {"type": "string", "enum": ["browser", "escpos"]},
        "pdf_url": {"type": "string", "format": "uri"}}})
    failed = {"503": {"description": "The printer failed (code printer_failed); the ticket stays valid",
                      "content": {"application/json": {"schema": ERROR}}}}
    return {
        "/offices/{office}/kiosk/print": {"post": {
            "summary": "Print (or reprint) a ticket at a kiosk, within a minute of its issue",
            "parameters": path_params("office"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["token"], "properties": {
                    "token": {"type": "string"},
                    "kiosk": {"type": ["string", "null"], "description": "Kiosk name (queueapp kiosk)"}}}}}},
            "responses": {**printed, **errors(404, 409, 422), **failed}}},
        "/offices/{office}/kiosk/printer": {"post": {
            "summary": "A paired kiosk reports its printer: ok (a print call finished) or unconfirmed",
            "security": [{"bearerAuth": []}, {"kioskCookie": []}], "parameters": path_params("office"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["state"], "properties": {
                    "state": {"type": "string", "enum": ["ok", "unconfirmed"]}}}}}},
            "responses": {**ok({"type": "object", "properties": {
                "kiosk": {"type": "string"},
                "state": {"type": "string", "description": "The kiosk's state after the report "
                                                           "(marked_out stays until staff lift it)"}}}),
                          **errors(401, 403, 404, 422)}}},
        "/tickets/{id}/reprint": {"post": {
            "summary": "Staff reprint a ticket of their office at any time",
            "security": STAFF, "parameters": path_params("id"),
            "requestBody": {"required": False, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"kiosk": {"type": "string",
                                                           "description": "Print on this kiosk's printer"}}}}}},
            "responses": {**printed, **errors(401, 403, 404, 422), **failed}}},
    }
