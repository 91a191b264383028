"""The public performance figures of an office (the /transparansi page, its API and CSV):
which month, which figures, and their open-data table. Only aggregates: counts, times and
rates per service and in total, never a ticket, a name, a phone number or a NIK."""
from __future__ import annotations

from datetime import date

from .errors import N_, InvalidInput
from .periods import PeriodKind, ReportPeriod, named

MONTHS_SHOWN = 12

# The figures published per service and in total, in the CSV's column order.
FIGURES = ("issued", "served", "wait_mean_minutes", "wait_p90_minutes", "within_target_pct", "no_show_pct",
           "skm_respondents", "ikm", "ikm_category")


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def month(text: str | None, today: date) -> ReportPeriod:
    """The month "YYYY-MM" (None or "": the office's current month); InvalidInput for
    anything else or a month after the current one."""
    if text in (None, ""):
        text = month_of(today)
    period = named(PeriodKind.MONTH, text)
    if period.first > today:
        raise InvalidInput(N_("%(field)s must not be in the future"), field="month")
    return period


def recent_months(today: date, count: int = MONTHS_SHOWN) -> list[str]:
    """The current month and the `count - 1` before it, newest first: what the page offers."""
    year, number = today.year, today.month
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{number:02d}")
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return found


def figures(report: dict, satisfaction: dict | None) -> dict:
    """The published figures of one group from a report's figures (queries.reports) and its
    SKM summary (None: no survey results): waits in minutes, rates in percent."""
    wait = report.get("wait_minutes") or {}
    survey = satisfaction or {}
    return {"issued": report.get("issued", 0), "served": report.get("served", 0),
            "wait_mean_minutes": wait.get("mean"), "wait_p90_minutes": wait.get("p90"),
            "within_target_pct": report.get("within_target_pct"), "no_show_pct": report.get("no_show_pct"),
            "skm_respondents": survey.get("respondents", 0),
            "ikm": survey.get("ikm_converted") if survey.get("respondents") else None,
            "ikm_category": (survey.get("category") or {}).get("letter") if survey.get("respondents") else None}


CSV_HEADER = ("office", "month", "service_code", "service_name") + FIGURES


def csv_rows(office_slug: str, month_label: str, services: list[dict], total: dict) -> list[tuple]:
    """The open-data table: one row per service, then the office's total (service "ALL")."""
    rows = [(office_slug, month_label, s["code"], s["name"], *(_cell(s[name]) for name in FIGURES))
            for s in services]
    rows.append((office_slug, month_label, "ALL", "", *(_cell(total[name]) for name in FIGURES)))
    return rows


def _cell(value):
    return "" if value is None else value
