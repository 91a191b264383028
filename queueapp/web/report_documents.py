"""What the report pages and the report API share (not a blueprint): the period a request
asks for, and the downloads (CSV, XLSX, PDF) with their translated words."""
from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask import Response, current_app, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..domain import errors, periods
from ..domain.errors import N_
from ..domain.metrics import Breakdown
from ..domain.periods import PeriodKind, ReportPeriod
from ..domain.setup import TIMEZONE_NAMES
from ..extensions import get_db
from ..queries import reports
from ..reports import pdf, tables

NAMED = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR)


def max_days() -> int:
    return current_app.config.get("REPORT_MAX_DAYS") or periods.DEFAULT_MAX_DAYS


def period_of(args, *, default: ReportPeriod | None = None) -> ReportPeriod:
    """The period of a request: `from` (and `to`) for a day or a range; or one of `month`,
    `quarter`, `half`, `year`; or `period` (a kind) with `value` (pages' picker).
    InvalidInput (422) for anything else, unless a `default` is given."""
    limit = max_days()
    kind = (args.get("period") or "").strip()
    if kind in (PeriodKind.DAY.value, PeriodKind.RANGE.value) or (not kind and args.get("from")):
        return periods.day_range(args.get("from"), args.get("to"), max_days=limit)
    if kind:
        return periods.named(kind, args.get("value") or args.get(kind), max_days=limit)
    for named in NAMED:
        if args.get(named.value):
            return periods.named(named, args.get(named.value), max_days=limit)
    if default is not None:
        return default
    raise errors.InvalidInput(N_("give from and to (YYYY-MM-DD), or a month, quarter, half or year"), field="from")


def breakdowns_of(args) -> tuple[Breakdown, ...]:
    """`by=clerk,counter` adds breakdowns to the service and hour tables."""
    wanted = [Breakdown.SERVICE, Breakdown.HOUR]
    for name in filter(None, (part.strip() for part in (args.get("by") or "").split(","))):
        try:
            wanted.append(Breakdown(name))
        except ValueError:
            raise errors.InvalidInput(N_("by must be one or more of %(choices)s"), field="by",
                                      choices=", ".join(b.value for b in Breakdown)) from None
    return tuple(dict.fromkeys(wanted))


def _filename(slug: str, period: ReportPeriod, suffix: str) -> str:
    return f"laporan-{slug}-{period.label.replace('..', '_')}.{suffix}"


def attachment(body, content_type: str, name: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def tickets_csv(actor, slug: str, period: ReportPeriod, service: str | None) -> Response:
    rows = reports.ticket_lines(get_db(), actor, slug, period, service)[1]
    return attachment(tables.ticket_csv(rows), "text/csv; charset=utf-8",
                      _filename(slug, period, "csv"))


def summary_csv(actor, slug: str, period: ReportPeriod, service: str | None) -> Response:
    summary = reports.summary(get_db(), actor, slug, period, service=service, breakdowns=tuple(Breakdown))
    return attachment(tables.summary_csv(summary), "text/csv; charset=utf-8",
                      _filename(slug, period, "summary.csv"))


def summary_xlsx(actor, slug: str, period: ReportPeriod, service: str | None) -> Response:
    summary = reports.summary(get_db(), actor, slug, period, service=service, breakdowns=tuple(Breakdown))
    rows = reports.ticket_lines(get_db(), actor, slug, period, service)[1]
    body = tables.xlsx(summary, rows, sheet_names=(_("Summary"), _("Tickets")))
    return attachment(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      _filename(slug, period, "xlsx"))


def _minutes(value) -> str:
    return "-" if value is None else _("%(minutes)s minutes", minutes=format_number(value))


def format_number(value) -> str:
    if value is None:
        return "-"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",") if str(get_locale()) == "id" else text


def period_words(period: ReportPeriod) -> str:
    """"November 2026", "Triwulan III 2026 (1 Juli 2026 - 30 September 2026)", ..."""
    locale = str(get_locale())
    first, last = (format_date(d, "d MMMM yyyy", locale=locale) for d in (period.first, period.last))
    if period.kind == PeriodKind.MONTH:
        return format_date(period.first, "MMMM yyyy", locale=locale)
    if period.kind == PeriodKind.QUARTER:
        roman = ("I", "II", "III", "IV")[(period.first.month - 1) // 3]
        return _("Quarter %(number)s %(year)s (%(first)s - %(last)s)", number=roman, year=period.first.year,
                 first=first, last=last)
    if period.kind == PeriodKind.HALF:
        roman = "I" if period.first.month == 1 else "II"
        return _("Half-year %(number)s %(year)s (%(first)s - %(last)s)", number=roman, year=period.first.year,
                 first=first, last=last)
    if period.kind == PeriodKind.YEAR:
        return _("Year %(year)s", year=period.first.year)
    return first if period.first == period.last else f"{first} - {last}"


def weekdays() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def figure_lines(summary: dict) -> list[tuple[str, str]]:
    """The headline figures as (label, value), in the order the page and the PDF show them."""
    wait, walk, service = summary["wait_minutes"], summary["walk_minutes"], summary["service_minutes"]
    funnel = summary["appointments"]
    return [
        (_("Tickets issued"), format_number(summary["issued"])),
        (_("Served"), format_number(summary["served"])),
        (_("No-shows"), f"{format_number(summary['no_show'])} ({format_number(summary['no_show_pct'])}%)"
         if summary["no_show_pct"] is not None else format_number(summary["no_show"])),
        (_("Cancelled or left"), format_number(summary["cancelled"])),
        (_("Transferred"), format_number(summary["transferred"])),
        (_("Recalled"), format_number(summary["recalled"])),
        (_("Waiting time: mean / median / 90th percentile"),
         " / ".join(_minutes(wait[k]) for k in ("mean", "p50", "p90"))),
        (_("Walking time: mean / median / 90th percentile"),
         " / ".join(_minutes(walk[k]) for k in ("mean", "p50", "p90"))),
        (_("Service time: mean / median / 90th percentile"),
         " / ".join(_minutes(service[k]) for k in ("mean", "p50", "p90"))),
        (_("Served within the target wait"),
         "-" if summary["within_target_pct"] is None else f"{format_number(summary['within_target_pct'])}%"),
        (_("Appointments: booked / checked in / served"),
         f"{funnel['booked']} / {funnel['checked_in']} / {funnel['served']}"),
    ]


def _place(address: str) -> str:
    """The town of the signature line: the last part of the address ("..., Jakarta")."""
    parts = [part.strip() for part in address.replace("\n", ",").split(",") if part.strip()]
    return parts[-1] if parts else ""


def performance_pdf(actor, slug: str, period: ReportPeriod, service: str | None, today: date) -> Response:
    """The printable report, in Indonesian unless ?lang=en; ?signer= and ?signer_id= fill
    the signature block, ?place= its town."""
    lang = request.args.get("lang") if request.args.get("lang") in current_app.config["LANGUAGES"] else "id"
    with force_locale(lang):
        summary = reports.summary(get_db(), actor, slug, period, service=service)
        office = summary["office"]
        place = (request.args.get("place") or _place(office["address"])).strip()
        dated = format_date(today, "d MMMM yyyy", locale=lang)
        text = pdf.ReportText(
            title=_("Service Performance Report"), period=_("Period: %(period)s", period=period_words(period)),
            figures_title=_("Figures"), figures=figure_lines(summary),
            services_title=_("Per service"),
            service_header=[_("Service"), _("Issued"), _("Served"), _("No-shows"), _("Mean wait"), _("Wait p90"),
                            _("Mean service"), _("Within target")],
            hours_title=_("Tickets issued per hour"), heatmap_title=_("Arrivals by weekday and hour"),
            weekdays=weekdays(), place_date=f"{place}, {dated}" if place else dated,
            signer_title=_("Head of %(office)s", office=office["name"]),
            signer_name=(request.args.get("signer") or "").strip()[:100],
            signer_id=(request.args.get("signer_id") or "").strip()[:60],
            footer=_("%(office)s, %(period)s, made %(date)s (%(zone)s)", office=office["name"],
                     period=period.label, date=dated, zone=TIMEZONE_NAMES.get(office["timezone"], "")),
            notes=[_("Waiting time runs from the ticket (or the appointment's check-in) to the first call; "
                     "service time from the start to the finish.")])
        logo = reports.logo(get_db(), slug)
        body = pdf.performance_report(summary, text, logo=logo[0] if logo else None)
    return attachment(body, "application/pdf", _filename(slug, period, "pdf"))
