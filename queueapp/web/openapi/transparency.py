"""OpenAPI paths of the public transparency data: an office's monthly performance figures
(the /transparansi page's) and its published service standards and pledge. No log-in, no
personal data."""
from __future__ import annotations

from .common import errors, ok, path_params

_NUMBER = {"type": ["number", "null"]}
_FIGURES = {
    "issued": {"type": "integer"}, "served": {"type": "integer", "description": "Citizens served"},
    "wait_mean_minutes": {**_NUMBER, "description": "Average wait from the number to the first call"},
    "wait_p90_minutes": {**_NUMBER, "description": "90th percentile of the wait"},
    "within_target_pct": {**_NUMBER, "description": "Percent of those served within the service's target wait"},
    "no_show_pct": {**_NUMBER, "description": "Percent of numbers issued whose holder did not come"},
    "skm_respondents": {"type": "integer", "description": "Satisfaction survey (SKM) respondents"},
    "ikm": {**_NUMBER, "description": "Satisfaction index, converted (25-100); null without respondents"},
    "ikm_category": {"type": ["string", "null"], "enum": ["A", "B", "C", "D", None]}}
_SERVICE_FIGURES = {"type": "object", "properties": {
    "code": {"type": "string"}, "name": {"type": "string"}, "name_en": {"type": "string"},
    "target_wait_minutes": {"type": ["integer", "null"]}, **_FIGURES}}
_LIVE = {"type": "object", "properties": {
    "code": {"type": "string"}, "name": {"type": "string"}, "name_en": {"type": "string"},
    "open": {"type": "boolean"}, "waiting": {"type": "integer"}, "eta_minutes": {"type": ["integer", "null"]},
    "counters_open": {"type": "integer"}}}
TRANSPARENCY = {"type": "object", "properties": {
    "office": {"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"},
                                                "timezone": {"type": "string"}, "address": {"type": "string"}}},
    "month": {"type": "string", "examples": ["2026-11"]}, "period": {"type": "object"},
    "months": {"type": "array", "items": {"type": "string"}, "description": "The months offered, newest first"},
    "current_month": {"type": "string"},
    "services": {"type": "array", "items": _SERVICE_FIGURES}, "total": {"type": "object", "properties": _FIGURES},
    "live": {"type": "array", "items": _LIVE}}}
_LINES = {"type": "array", "items": {"type": "string"}}
STANDARDS = {"type": "object", "properties": {
    "office": {"type": "object", "properties": {
        "slug": {"type": "string"}, "name": {"type": "string"}, "contact": {"type": "string"},
        "complaint_channel": {"type": "string"},
        "pledge": {"type": "string", "description": "The service pledge (maklumat pelayanan)"},
        "pledge_on_display": {"type": "boolean"},
        "lapor": {"type": "object", "properties": {"name": {"type": "string"}, "site": {"type": "string"},
                                                   "url": {"type": "string"}}}}},
    "services": {"type": "array", "items": {"type": "object", "properties": {
        "code": {"type": "string"}, "name": {"type": "string"}, "name_en": {"type": "string"},
        "requirements": _LINES, "procedure": _LINES, "completion_time": {"type": "string"},
        "fee": {"type": "string"}, "product": {"type": "string"},
        "complaints": {"type": "string", "description": "The service's complaint channel, else the office's"},
        "published": {"type": "boolean"}}}}}}
MONTH = {"name": "month", "in": "query", "schema": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
         "description": "YYYY-MM; default: the office's current month"}


def transparency_paths() -> dict:
    return {
        "/offices/{office}/transparency": {"get": {
            "summary": "Public performance figures of a month, per service and in total, and the live queue "
                       "(422: not a month, or a future one)",
            "parameters": path_params("office") + [MONTH],
            "responses": {**ok(TRANSPARENCY), **errors(404, 422)}}},
        "/offices/{office}/standards": {"get": {
            "summary": "The published service standards (six components), the pledge and where to complain",
            "parameters": path_params("office"), "responses": {**ok(STANDARDS), **errors(404)}}},
    }
