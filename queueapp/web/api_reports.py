"""JSON API v1, an office's reports (supervisors, admins, owners; a zone's member sees its
zone): the summary of a period, and its downloads (tickets CSV, summary CSV, XLSX, PDF).
The period: from/to (YYYY-MM-DD), or month, quarter, half or year (web.report_documents)."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from ..extensions import get_db, now
from ..domain.numbering import business_date
from ..queries import reports
from . import report_documents as documents
from .auth import staff_required

bp = Blueprint("api_reports", __name__, url_prefix="/api/v1/offices/<slug>/reports")


def _service() -> str | None:
    return (request.args.get("service") or "").strip() or None


@bp.get("/summary")
@staff_required
def summary(slug: str):
    period = documents.period_of(request.args)
    return jsonify(reports.summary(get_db(), g.actor, slug, period, service=_service(),
                                   breakdowns=documents.breakdowns_of(request.args)))


@bp.get("/tickets.csv")
@staff_required
def tickets_csv(slug: str):
    return documents.tickets_csv(g.actor, slug, documents.period_of(request.args), _service())


@bp.get("/summary.csv")
@staff_required
def summary_csv(slug: str):
    return documents.summary_csv(g.actor, slug, documents.period_of(request.args), _service())


@bp.get("/summary.xlsx")
@staff_required
def summary_xlsx(slug: str):
    return documents.summary_xlsx(g.actor, slug, documents.period_of(request.args), _service())


@bp.get("/monthly.pdf")
@bp.get("/quarterly.pdf")
@bp.get("/report.pdf")
@staff_required
def performance_pdf(slug: str):
    period = documents.period_of(request.args)
    today = business_date(now(), reports.office_timezone(get_db(), slug))
    return documents.performance_pdf(g.actor, slug, period, _service(), today)
