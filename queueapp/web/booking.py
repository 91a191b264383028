"""Booking pages for citizens (mobile-first): service -> day -> slot -> details ->
confirmation with code, QR, PDF and .ics; a secret manage link to cancel or reschedule;
joining today's queue from home."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import appointment_documents as documents
from .. import messages
from ..domain import errors
from ..extensions import get_db, limiter, now
from ..queries import booking as booking_views
from ..queries import tickets as ticket_views
from ..services import appointments, checkin
from .errors import status_for
from .http import parse_day, parse_start
from .limits import booking_limit, no_booking_limit
from .labels import service_name
from .notify_choice import notify_choice

bp = Blueprint("booking", __name__, url_prefix="/booking")
limiter.limit(booking_limit, exempt_when=no_booking_limit)(bp)


@bp.after_request
def _private(response: Response) -> Response:
    # Manage links are secrets: a Referer goes to this site only (its forms need one over
    # HTTPS for the CSRF check; web.headers sends same-origin), and they are never cached.
    if request.path.startswith("/booking/a/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def _error(exc: errors.DomainError) -> str:
    return messages.for_error(exc)


@bp.get("/<slug>")
def services(slug: str):
    office, rows = booking_views.offered_services(get_db(), slug, now())
    return render_template("booking/services.html", office=office, services=rows)


def _calendar_page(slug: str, service: str, day_text: str | None, *, token: str | None = None):
    moment = now()
    cal = booking_views.calendar(get_db(), slug, service, now=moment)
    day, slots, problem = None, [], None
    if day_text:
        try:
            day = parse_day(day_text)
            slots = booking_views.slots(get_db(), slug, service, day, now=moment)
        except errors.DomainError as exc:
            problem = _error(exc)
    return render_template("booking/calendar.html", slug=slug, service=service, cal=cal, day=day,
                           slots=slots, problem=problem, token=token)


@bp.get("/<slug>/<service>")
def calendar(slug: str, service: str):
    return _calendar_page(slug, service, request.args.get("date"))


@bp.route("/<slug>/<service>/book", methods=["GET", "POST"])
def book(slug: str, service: str):
    start_text = request.values.get("start", "")
    start = parse_start(start_text)
    cal = booking_views.calendar(get_db(), slug, service, now=now())
    problem = None
    if request.method == "POST":
        try:
            token = appointments.book(get_db(), slug, service, start, name=request.form.get("name"),
                                      phone=request.form.get("phone"), nik=request.form.get("nik") or None,
                                      now=now(), secret_key=current_app.config["SECRET_KEY"],
                                      **notify_choice(request.form))
            return redirect(url_for("booking.manage", token=token, new=1), 303)
        except errors.DomainError as exc:
            problem = (exc.code, _error(exc))
    status = 200 if problem is None else 422 if problem[0].startswith("invalid") else 409
    return render_template("booking/form.html", slug=slug, service=service, cal=cal, start=start,
                           start_text=start_text, problem=problem, form=request.form), status


@bp.get("/a/<token>")
def manage(token: str):
    view = booking_views.get(get_db(), token)
    if view["status"] == "rescheduled":
        successor = booking_views.successor_token(get_db(), token)
        if successor:
            return redirect(url_for("booking.manage", token=successor))
    return render_template("booking/manage.html", a=view, token=token, new=request.args.get("new"))


@bp.post("/a/<token>/cancel")
def cancel(token: str):
    try:
        appointments.cancel(get_db(), token, now=now())
    except errors.AppointmentNotActive:
        pass  # a second tap on "cancel": the page shows the current state
    return redirect(url_for("booking.manage", token=token), 303)


@bp.route("/a/<token>/reschedule", methods=["GET", "POST"])
def reschedule(token: str):
    view = booking_views.get(get_db(), token)
    if request.method == "POST":
        try:
            new = appointments.reschedule(get_db(), token, parse_start(request.form.get("start")), now=now())
            return redirect(url_for("booking.manage", token=new, new=1), 303)
        except errors.DomainError as exc:
            return render_template("error.html", code=exc.code, message=_error(exc)), status_for(exc)
    return _calendar_page(view["office"], view["service"], request.args.get("date"), token=token)


def _labels() -> dict[str, str]:
    return {"title": _("Appointment confirmation"), "code": _("Booking code"), "service": _("Service"),
            "time": _("Time"), "name": _("Name"),
            "bring": _("Show this code or QR at the kiosk 30 minutes before your time at the latest.")}


@bp.get("/a/<token>/qr.png")
def qr(token: str):
    return Response(documents.qr_png(booking_views.get(get_db(), token)), mimetype="image/png")


@bp.get("/a/<token>/confirmation.pdf")
def pdf(token: str):
    view = booking_views.get(get_db(), token)
    return Response(documents.pdf(view, _labels()), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="booking-{view["code"]}.pdf"'})


@bp.get("/a/<token>/appointment.ics")
def ics(token: str):
    view = booking_views.get(get_db(), token)
    body = documents.ics(view, _("Appointment: %(service)s", service=service_name(view, "service_name")),
                         _("Booking code: %(code)s", code=view["code"]))
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="booking-{view["code"]}.ics"'})


@bp.route("/<slug>/<service>/join", methods=["GET", "POST"])
def join(slug: str, service: str):
    problem = None
    if request.method == "POST":
        try:
            change = checkin.join_online(get_db(), slug, service, request.form.get("phone"), now=now(),
                                         secret_key=current_app.config["SECRET_KEY"], **notify_choice(request.form))
            token = ticket_views.changed(get_db(), change)["token"]   # the view the screens got
            return redirect(url_for("status.page", token=token), 303)
        except errors.DomainError as exc:
            problem = _error(exc)
    page = booking_views.join_page(get_db(), slug, service, now())
    return render_template("booking/join.html", slug=slug, problem=problem, **page), 200 if problem is None else 409
