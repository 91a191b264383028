"""OpenAPI paths of the satisfaction survey (SKM, PermenPANRB 14/2017): answering for a
served ticket, and an office's published index. docs/ACCOUNTABILITY.md explains the figures."""
from __future__ import annotations

from ...domain import skm
from .common import errors, ok, path_params

_SCORE = {"type": "integer", "minimum": skm.LOWEST_SCORE, "maximum": skm.HIGHEST_SCORE}
_NUMBER = {"type": ["number", "null"]}
ANSWER = {"type": "object", "required": ["answers"], "properties": {
    "answers": {"type": "object", "description": "The nine elements (unsur) 1-9, each answered 1 (not good) "
                "to 4 (very good): " + "; ".join(f"{key} {name}" for key, name in skm.ELEMENTS.items()),
                "required": list(skm.KEYS), "additionalProperties": False,
                "properties": {key: _SCORE for key in skm.KEYS}},
    "profile": {"type": ["object", "null"], "description": "Optional, every field optional",
                "additionalProperties": False,
                "properties": {field: {"type": ["string", "null"], "enum": [*choices, None]}
                               for field, choices in skm.PROFILE.items()}},
    "comment": {"type": ["string", "null"], "maxLength": skm.COMMENT_MAX,
                "description": "Free text, shown only to the office's supervisors"}}}
SUMMARY = {"type": "object", "properties": {
    "office": {"type": "string"}, "from": {"type": "string", "format": "date"},
    "to": {"type": "string", "format": "date"}, "service": {"type": ["string", "null"]},
    "respondents": {"type": "integer"},
    "nrr": {"type": "object", "description": "Average score (1-4, two decimals) per element; null without answers",
            "properties": {key: _NUMBER for key in skm.KEYS}},
    "ikm": {**_NUMBER, "description": "Sum of NRR x 1/9 (1-4, three decimals)"},
    "ikm_converted": {**_NUMBER, "description": "IKM x 25 (25-100, two decimals)"},
    "category": {"type": ["object", "null"], "description": "A sangat baik >= 88.31 > B baik >= 76.61 > "
                 "C kurang baik >= 65.00 > D tidak baik", "properties": {
                     "letter": {"type": "string", "enum": [c.value for c in skm.Category]},
                     "label": {"type": "string"}}},
    "served": {"type": "integer", "description": "Tickets served in the period (the population)"},
    "sample_needed": {"type": "integer", "description": "Krejcie-Morgan sample size for the population"},
    "lowest": {"type": "array", "items": {"type": "string"},
               "description": "The lowest elements, where the follow-up plan starts"}}}


def survey_paths() -> dict:
    return {
        "/tickets/{token}/survey": {"post": {
            "summary": "Answer the satisfaction survey of a served ticket, once, within QUEUEAPP_SURVEY_DAYS days "
                       "(409 ticket_not_finished, survey_closed, already_answered; 422 names the element)",
            "parameters": path_params("token"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": ANSWER}}},
            "responses": {**ok({"type": "object", "properties": {"status": {"type": "string"}}}, "201",
                               "Stored"), **errors(404, 409, 422)}}},
        "/offices/{office}/skm": {"get": {
            "summary": "An office's satisfaction index (IKM) for business days from..to (public, no comments)",
            "parameters": path_params("office") + [
                {"name": "from", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}},
                {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"},
                 "description": "Last business day, included (default: from); at most QUEUEAPP_REPORT_MAX_DAYS"},
                {"name": "service", "in": "query", "schema": {"type": "string"}, "description": "One service's code"}],
            "responses": {**ok(SUMMARY), **errors(404, 422)}}},
    }
