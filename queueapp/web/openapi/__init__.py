"""The OpenAPI 3.1 document of API v1, served at /api/v1/openapi.json, assembled from one
module per area (queue, booking, kiosk, offices, catalog, staff, dashboard, reports) on top of the shared pieces in
common. Areas may document other methods of one path (the public GET and the admin POST of
/offices/{office}/services): their operations are merged path by path."""
from __future__ import annotations

from .booking import booking_paths
from .catalog import catalog_paths
from .common import TICKET_STATUSES, errors
from .dashboard import dashboard_paths
from .kiosk import kiosk_paths
from .notify import notify_paths
from .offices import create_office_path, office_paths
from .push import push_paths
from .queue import queue_paths
from .reports import report_paths
from .staff import staff_paths
from .survey import survey_paths
from .transparency import transparency_paths


def _body_errors(paths: dict[str, dict]) -> None:
    """Every operation taking a JSON body answers 400 when the body is not a JSON object
    (web.http.json_body, one place for all of them)."""
    for operations in paths.values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["responses"].setdefault("400", errors(400)["400"])


def spec() -> dict:
    paths: dict[str, dict] = {}
    for area in (queue_paths(), booking_paths(), kiosk_paths(), office_paths(), {"/offices": create_office_path()},
                 catalog_paths(), staff_paths(), dashboard_paths(), report_paths(), notify_paths(), push_paths()):
        for path, operations in area.items():
            paths.setdefault(path, {}).update(operations)
    for path, operations in survey_paths().items():   # the satisfaction survey (SKM)
        paths.setdefault(path, {}).update(operations)
    for path, operations in transparency_paths().items():   # the public performance figures
        paths.setdefault(path, {}).update(operations)
    _body_errors(paths)
    return {
        "openapi": "3.1.0",
        "info": {"title": "queueapp API", "version": "1",
                 "description": "Queue and appointment system for Indonesian public-service offices. "
                                "Error messages follow Accept-Language (id by default, en)."},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "description": (
                "A staff API token (admin area or `queueapp create-token USER --days N`; past its expires_at "
                "it answers 401 with the code token_expired), or a kiosk's device token (qk_...).")},
                                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
                                "kioskCookie": {"type": "apiKey", "in": "cookie", "name": "queueapp_kiosk"}},
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
                    "eta_minutes": {"type": ["integer", "null"]}, "quota_left": {"type": ["integer", "null"]},
                    "eta_range": {"type": ["array", "null"], "items": {"type": "integer"},
                                  "description": "10th-90th percentile of the wait (docs/ETA.md)"}}},
                "Ticket": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "number": {"type": "string", "examples": ["A-001"]},
                    "token": {"type": "string"}, "status": {"type": "string", "enum": TICKET_STATUSES},
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


