"""The report pages (/reports/<office>) for supervisors, admins and owners: a period
picker, the figures, the breakdown tables, SVG charts drawn on the server, and links to
the downloads (the API's CSV, XLSX and PDF, which the session cookie opens)."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup

from ..domain import periods
from ..domain.metrics import Breakdown
from ..domain.numbering import business_date
from ..domain.periods import PeriodKind
from ..extensions import get_db, now
from ..queries import reports
from ..reports import charts
from . import report_documents as documents
from .labels import label

bp = Blueprint("reports", __name__, url_prefix="/reports")

BREAKDOWNS = {
    Breakdown.SERVICE: _l("Per service"), Breakdown.ZONE: _l("Per zone (agency)"),
    Breakdown.COUNTER: _l("Per counter"), Breakdown.CLERK: _l("Per clerk"), Breakdown.CHANNEL: _l("Per channel"),
    Breakdown.APPOINTMENT: _l("Appointments and walk-ins"), Breakdown.PRIORITY: _l("Per priority group"),
    Breakdown.HOUR: _l("Per hour of the day"), Breakdown.WEEKDAY: _l("Per weekday"),
}
PERIOD_KINDS = {
    PeriodKind.DAY: _l("Day"), PeriodKind.RANGE: _l("Range of days"), PeriodKind.MONTH: _l("Month"),
    PeriodKind.QUARTER: _l("Quarter"), PeriodKind.HALF: _l("Half-year"), PeriodKind.YEAR: _l("Year"),
}


@bp.get("")
@login_required
def index():
    """The member's own office's report; an owner picks an office."""
    offices = reports.offices_for(get_db(), current_user.actor())
    if len(offices) == 1:
        return redirect(url_for("reports.office", slug=offices[0]["slug"]))
    return render_template("reports/choose.html", offices=offices)


def _group_label(by: Breakdown, line: dict) -> str:
    key = line["key"]
    if key is None:
        return _("(none)")
    if by == Breakdown.SERVICE:
        return f"{key} {line.get('name', '')}"
    if by == Breakdown.COUNTER:
        return line.get("name") or str(key)
    if by == Breakdown.WEEKDAY:
        return documents.weekdays()[key - 1]
    if by == Breakdown.HOUR:
        return f"{key:02d}:00"
    if by == Breakdown.APPOINTMENT:
        return _("Appointment") if key == "appointment" else _("Walk-in")
    if by in (Breakdown.CHANNEL, Breakdown.PRIORITY):
        return label(key, "Channel" if by == Breakdown.CHANNEL else "PriorityGroup")
    return str(key)


@bp.get("/<slug>")
@login_required
def office(slug: str):
    actor = current_user.actor()
    today = business_date(now(), reports.office_timezone(get_db(), slug))
    default = periods.named(PeriodKind.MONTH, f"{today:%Y-%m}")
    period = documents.period_of(request.args, default=default)
    service = (request.args.get("service") or "").strip() or None
    summary = reports.summary(get_db(), actor, slug, period, service=service, breakdowns=tuple(Breakdown))
    by_hour = {line["key"]: line["issued"] for line in summary["by_hour"]}
    hours = range(min(by_hour, default=8), max(by_hour, default=16) + 1) if by_hour else range(8, 17)
    svg = {
        "hours": Markup(charts.bars([(f"{h:02d}", by_hour.get(h, 0)) for h in hours],
                                    title=_("Tickets issued per hour"))),
        "arrivals": Markup(charts.heatmap(summary["heatmap"]["arrivals"], rows=documents.weekdays(),
                                          title=_("Arrivals by weekday and hour"), hours=hours)),
        "waits": Markup(charts.heatmap(summary["heatmap"]["wait_mean"], rows=documents.weekdays(),
                                       title=_("Mean wait (minutes) by weekday and hour"), hours=hours)),
    }
    query = {"from": period.first.isoformat(), "to": period.last.isoformat(), **({"service": service} if service else {})}
    named = {kind.value: period.label for kind in documents.NAMED if period.kind == kind}
    downloads = {
        "csv": url_for("api_reports.tickets_csv", slug=slug, **query),
        "summary_csv": url_for("api_reports.summary_csv", slug=slug, **query),
        "xlsx": url_for("api_reports.summary_xlsx", slug=slug, **query),
        "pdf": url_for("api_reports.performance_pdf", slug=slug, **(named or query),
                       **({"service": service} if service and named else {})),
    }
    tables = [(by, BREAKDOWNS[by], [(_group_label(by, line), line) for line in summary[f"by_{by.value}"]])
              for by in Breakdown]
    return render_template("reports/office.html", summary=summary, period=period,
                           period_words=documents.period_words(period), figures=documents.figure_lines(summary),
                           tables=tables, svg=svg, downloads=downloads, kinds=PERIOD_KINDS,
                           fmt=documents.format_number, args=request.args)
