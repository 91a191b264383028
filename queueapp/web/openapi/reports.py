"""OpenAPI paths of an office's reports (supervisors, admins, owners; a zone's member sees
its zone): the summary of a period and its downloads. docs/REPORTS.md explains each figure."""
from __future__ import annotations

from ...domain.metrics import Breakdown
from .common import STAFF, errors, ok, path_params, values

_DATE = {"type": "string", "format": "date"}
_NUMBER = {"type": ["number", "null"]}
STATS = {"type": "object", "description": "Minutes; percentiles interpolate between closest ranks",
         "properties": {"count": {"type": "integer"}, "mean": _NUMBER, "p50": _NUMBER, "p90": _NUMBER}}
FIGURES = {
    "issued": {"type": "integer"}, "served": {"type": "integer"}, "no_show": {"type": "integer"},
    "cancelled": {"type": "integer", "description": "Cancelled by staff or left by the citizen"},
    "transferred": {"type": "integer", "description": "Tickets moved to another service at least once"},
    "recalled": {"type": "integer", "description": "Tickets called more than once"},
    "within_target": {"type": "integer"}, "within_target_pct": _NUMBER, "no_show_pct": _NUMBER,
    "wait_minutes": STATS, "walk_minutes": STATS, "service_minutes": STATS}
GROUP = {"type": "object", "properties": {"key": {"type": ["string", "integer", "null"]}, **FIGURES}}
STAFFING = {"type": "array", "items": {"type": "object", "properties": {
    "key": {"type": ["string", "integer"]}, "served": {"type": "integer"}, "hours": {"type": "number"},
    "per_hour": _NUMBER, "idle_minutes": {"type": "number"}}}}
SUMMARY = {"type": "object", "properties": {
    "office": {"type": "object"},
    "period": {"type": "object", "properties": {"kind": {"type": "string"}, "label": {"type": "string"},
                                                "from": _DATE, "to": _DATE, "days": {"type": "integer"}}},
    "service": {"type": ["string", "null"]}, **FIGURES,
    **{f"by_{b}": {"type": "array", "items": GROUP} for b in values(Breakdown)},
    "appointments": {"type": "object", "description": "booked -> checked_in -> served; on_time vs late",
                     "properties": {name: {"type": "integer"} for name in
                                    ("booked", "checked_in", "served", "no_show", "on_time", "late")}},
    "clerks": STAFFING, "counters": STAFFING,
    "heatmap": {"type": "object", "description": "ISO weekday (7 rows) x local hour (24 columns)",
                "properties": {"arrivals": {"type": "array"}, "wait_mean": {"type": "array"}}}}}

PERIOD = [
    {"name": "from", "in": "query", "schema": _DATE, "description": "First business day (office's time zone)"},
    {"name": "to", "in": "query", "schema": _DATE, "description": "Last business day, included (default: from)"},
    {"name": "month", "in": "query", "schema": {"type": "string", "examples": ["2026-11"]},
     "description": "Instead of from/to"},
    {"name": "quarter", "in": "query", "schema": {"type": "string", "examples": ["2026-Q3"]},
     "description": "Instead of from/to (triwulan)"},
    {"name": "half", "in": "query", "schema": {"type": "string", "examples": ["2026-H1"]},
     "description": "Instead of from/to (semester)"},
    {"name": "year", "in": "query", "schema": {"type": "string", "examples": ["2026"]},
     "description": "Instead of from/to"},
    {"name": "service", "in": "query", "schema": {"type": "string"}, "description": "One service's code"},
]
REFUSED = errors(401, 403, 404, 422)


def _download(summary: str, content_type: str, extra: list | None = None) -> dict:
    return {"get": {"summary": summary, "security": STAFF,
                    "parameters": path_params("office") + PERIOD + (extra or []),
                    "responses": {"200": {"description": "A file to download",
                                          "content": {content_type: {"schema": {"type": "string",
                                                                                "format": "binary"}}}},
                                  **REFUSED}}}


def report_paths() -> dict:
    base = "/offices/{office}/reports"
    by = {"name": "by", "in": "query", "schema": {"type": "string"},
          "description": "More breakdowns, comma separated: " + ", ".join(values(Breakdown))}
    pdf_params = [{"name": name, "in": "query", "schema": {"type": "string"}, "description": text} for name, text in (
        ("lang", "id (default) or en"), ("signer", "Name on the signature line"),
        ("signer_id", "Signer's NIP line"), ("place", "Town of the signature (default: from the address)"))]
    pdf = "Performance report PDF (letterhead, figures, charts, signature) of the period given"
    return {
        f"{base}/summary": {"get": {
            "summary": "A period's figures, by service and by hour (422: a reversed, unparsable or too long range)",
            "security": STAFF, "parameters": path_params("office") + PERIOD + [by],
            "responses": {**ok(SUMMARY), **REFUSED}}},
        f"{base}/tickets.csv": _download("One row per ticket, no personal data", "text/csv"),
        f"{base}/summary.csv": _download("The summary's tables, one after another", "text/csv"),
        f"{base}/summary.xlsx": _download(
            "Workbook: summary sheet and one row per ticket",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        f"{base}/monthly.pdf": _download(pdf + " (usually ?month=YYYY-MM)", "application/pdf", pdf_params),
        f"{base}/quarterly.pdf": _download(pdf + " (usually ?quarter=YYYY-Qn)", "application/pdf", pdf_params),
        f"{base}/report.pdf": _download(pdf + " (any period: half, year, a range)", "application/pdf", pdf_params),
    }
