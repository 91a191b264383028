"""The staff SKM report `/reports/<office>/skm` (supervisors and admins of the office; a zone's
member sees its zone): the regulation's layout of the satisfaction index for a month,
quarter, half-year or year, the respondents' profile, the follow-up elements and the
comments; and its CSV and PDF. Comments appear only here and in these downloads."""
from __future__ import annotations

from babel.dates import format_date
from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..domain import periods, skm
from ..domain.numbering import business_date
from ..domain.periods import PeriodKind
from ..domain.setup import TIMEZONE_NAMES
from ..extensions import get_db, now
from ..queries import reports as report_views
from ..queries import skm_report
from ..reports import skm_documents
from . import report_documents as documents

bp = Blueprint("skm_reports", __name__, url_prefix="/reports/<slug>/skm")

PERIOD_KINDS = {PeriodKind.MONTH: _l("Month"), PeriodKind.QUARTER: _l("Quarter"),
                PeriodKind.HALF: _l("Half-year"), PeriodKind.YEAR: _l("Year")}


def _period(slug: str):
    today = business_date(now(), skm_report.office_timezone(get_db(), slug))
    return documents.period_of(request.args, default=periods.named(PeriodKind.MONTH, f"{today:%Y-%m}")), today


def _page_number() -> int:
    value = request.args.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1


def _report(slug: str, page: int):
    period, today = _period(slug)
    found = skm_report.report(get_db(), current_user.actor(), slug, period, zone=request.args.get("zone"),
                              service=(request.args.get("service") or "").strip() or None, page=page)
    return found, period, today


def category_words(letter: dict | None) -> str:
    return "-" if letter is None else f"{letter['letter']} ({_(skm.CATEGORY_LABELS[skm.Category(letter['letter'])])})"


def profile_words() -> dict:
    return {field: {"label": _(skm.PROFILE_FIELDS[field]),
                    "choices": {**{value: _(text) for value, text in choices.items()}, "": _("Not stated")}}
            for field, choices in skm.PROFILE.items()}


def words(period_words: str) -> dict:
    """Every text the SKM downloads print, in the request's language."""
    return {
        "title": _("Community Satisfaction Survey (SKM) Report"),
        "period": _("Period: %(period)s", period=period_words),
        "scope": _("Scope"), "whole_office": _("Whole office"), "zone": _("Zone (agency)"), "service": _("Service"),
        "elements_title": _("Satisfaction per element"),
        "element_header": [_("No."), _("Element"), _("NRR"), _("NRR x 1/9"), _("Category")],
        "elements": {key: _(name) for key, name in skm.ELEMENTS.items()},
        "index_title": _("Satisfaction index (IKM)"),
        "ikm": _("IKM (sum of NRR x 1/9, 1-4)"), "converted": _("Converted value (IKM x 25, 25-100)"),
        "category": _("Quality of service (category)"), "respondents": _("Respondents"),
        "served": _("Tickets served (population)"), "sample": _("Sample needed (Krejcie-Morgan table)"),
        "profile_title": _("Respondents' profile"), "profile": profile_words(),
        "count": _("Respondents"),
        "follow_up_title": _("Follow-up plan (rencana tindak lanjut)"),
        "follow_up": _("Lowest elements, to be addressed first:"), "nothing": _("None"),
        "comments_title": _("Comments"), "comment_header": [_("Day"), _("Service"), _("Comment")],
        "no_comments": _("No comments in this period."),
        "category_of": category_words,
    }


def _query(found: dict) -> dict:
    query = {"from": found["period"]["from"], "to": found["period"]["to"]}
    kind = found["period"]["kind"]
    if kind in PERIOD_KINDS or kind in (k.value for k in PERIOD_KINDS):
        query = {"period": kind, "value": found["period"]["label"]}
    if found["zone"]:
        query["zone"] = found["zone"]
    if found["service"]:
        query["service"] = found["service"]
    return query


@bp.get("")
@login_required
def page(slug: str):
    found, period, _today = _report(slug, _page_number())
    query = _query(found)
    return render_template("skm/report.html", report=found, period=period, period_words=documents.period_words(period),
                           kinds=PERIOD_KINDS, args=request.args, category_words=category_words,
                           elements={key: _(name) for key, name in skm.ELEMENTS.items()}, profile=profile_words(),
                           fmt=documents.format_number, query=query,
                           downloads={"csv": url_for("skm_reports.csv", slug=slug, **query),
                                      "pdf": url_for("skm_reports.pdf", slug=slug, **query)})


def _filename(found: dict, suffix: str) -> str:
    return f"skm-{found['office']['slug']}-{found['period']['label'].replace('..', '_')}.{suffix}"


@bp.get("/skm.csv")
@login_required
def csv(slug: str):
    found, period, _today = _report(slug, 0)
    body = skm_documents.skm_csv(found, words(documents.period_words(period)))
    return documents.attachment(body, "text/csv; charset=utf-8", _filename(found, "csv"))


@bp.get("/skm.pdf")
@login_required
def pdf(slug: str):
    lang = request.args.get("lang") if request.args.get("lang") in current_app.config["LANGUAGES"] else "id"
    with force_locale(lang):
        found, period, today = _report(slug, 0)
        dated = format_date(today, "d MMMM yyyy", locale=lang)
        place = (request.args.get("place") or documents._place(found["office"]["address"])).strip()
        text = words(documents.period_words(period))
        text.update(
            decimal="," if lang == "id" else ".",
            place_date=f"{place}, {dated}" if place else dated,
            signer_title=_("Head of %(office)s", office=found["office"]["name"]),
            signer_name=(request.args.get("signer") or "").strip()[:100],
            signer_id=(request.args.get("signer_id") or "").strip()[:60],
            footer=_("%(office)s, %(period)s, made %(date)s (%(zone)s)", office=found["office"]["name"],
                     period=found["period"]["label"], date=dated,
                     zone=TIMEZONE_NAMES.get(found["office"]["timezone"], "")))
        logo = report_views.logo(get_db(), slug)
        body = skm_documents.skm_pdf(found, text, logo=logo[0] if logo else None)
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{_filename(found, "pdf")}"', "Cache-Control": "private, no-store"})
