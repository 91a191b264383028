"""The public performance page `/transparansi/<office>` (no log-in, no personal data):
live waiting per service, a month's figures (citizens served, waits, the share served
within the target, no-shows, the satisfaction index) per service and in total with a
chart and a CSV download (open data), the service standards, the pledge and how to
complain. Its JSON: GET /api/v1/offices/<office>/transparency?month=YYYY-MM, and the
standards alone at /api/v1/offices/<office>/standards (kiosk, display).

Template globals: `public_standard(office, code)` gives a page's partial one service's
standard with the office's complaint channel (status and booking pages);
`public_standards(office)` all of them and the pledge (kiosk, lobby display)."""
from __future__ import annotations

import csv
import io
from datetime import date

from babel.dates import format_date

from flask import Blueprint, Response, jsonify, render_template, request
from flask_babel import get_locale, gettext as _
from markupsafe import Markup

from ..domain import local_time
from ..domain import transparency as figures
from ..extensions import get_db, now
from ..queries import standards, transparency
from ..reports import charts

bp = Blueprint("transparency", __name__)

REFRESH_SECONDS = 60


@bp.app_template_global()
def public_standard(office_slug: str, code: str) -> dict | None:
    """{"office": {...complaint_channel, lapor}, "service": its standard or None}."""
    return standards.service_standard(get_db(), office_slug, code)


@bp.app_template_global()
def public_standards(office_slug: str, links: bool = True) -> dict:
    """The office's published standards and pledge (queries.standards.office_standards):
    what the kiosk's "Persyaratan" panel (links=False) and the display's pledge slide show."""
    return standards.office_standards(get_db(), office_slug, links=links)


@bp.app_template_filter()
def citizen_day(value) -> str:
    """"Senin, 23 November 2026": a date as citizens read it, in the page's language."""
    return local_time.day(value, str(get_locale() or "id"))


@bp.app_template_filter()
def month_name(value: str) -> str:
    """"2026-11" -> "November 2026" in the page's language."""
    year, month = (int(part) for part in value.split("-"))
    return format_date(date(year, month, 1), "MMMM y", locale=str(get_locale() or "id"))


def eta_text(minutes: int | None) -> str:
    if minutes is None:
        return _("no counter open yet")
    if minutes == 0:
        return _("served soon")
    return _("about %(minutes)s min", minutes=minutes)


def _texts() -> dict:
    """What the page's script needs to word a change, in the page's language."""
    return {"eta": _("about %(minutes)s min"), "no_eta": _("no counter open yet"), "no_wait": _("served soon"),
            "offline": _("Connection lost. Reconnecting...")}


def _charts(month: dict) -> dict:
    services = month["services"]
    return {
        "served": Markup(charts.bars([(s["code"], s["served"]) for s in services],
                                     title=_("Citizens served per service"), height=200)),
        "wait": Markup(charts.bars([(s["code"], s["wait_mean_minutes"]) for s in services],
                                   title=_("Average wait per service (minutes)"), height=200)),
    }


@bp.get("/transparansi/<slug>")
def page(slug: str):
    month = transparency.month_figures(get_db(), slug, request.args.get("month"), now=now())
    return render_template("transparency/page.html", office=month["office"], month=month,
                           live=transparency.live_services(get_db(), slug, now()), eta_text=eta_text,
                           standards=standards.office_standards(get_db(), slug), charts=_charts(month),
                           refresh=REFRESH_SECONDS, texts=_texts())


@bp.get("/transparansi/<slug>/data.csv")
def csv_download(slug: str):
    """The month's figures as open data (one row per service and the total)."""
    month = transparency.month_figures(get_db(), slug, request.args.get("month"), now=now())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(figures.CSV_HEADER)
    writer.writerows(figures.csv_rows(month["office"]["slug"], month["month"], month["services"], month["total"]))
    name = f'kinerja-{month["office"]["slug"]}-{month["month"]}.csv'
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "public, max-age=60"})


@bp.get("/api/v1/offices/<slug>/transparency")
def api_transparency(slug: str):
    month = transparency.month_figures(get_db(), slug, request.args.get("month"), now=now())
    return jsonify({**month, "live": transparency.live_services(get_db(), slug, now())})


@bp.get("/api/v1/offices/<slug>/standards")
def api_standards(slug: str):
    response = jsonify(standards.office_standards(get_db(), slug))
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response
