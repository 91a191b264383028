"""The supervisor's live dashboard: the page /dashboard/<office>, its snapshot as JSON
(GET /api/v1/offices/<office>/dashboard) and the supervisor's actions on it.

The actions need OPERATE (supervisor, admin, owner) in the counter's or ticket's zone, then
go through the same use cases as the counter screen (services.counters, services.tickets).
JSON writes with the session cookie carry the X-CSRFToken header (staff_required)."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.permissions import Permission, can
from ..extensions import csrf, get_db, now
from ..queries import boards, dashboard
from ..queries import tickets as ticket_views
from ..services import counters as counter_ops
from ..services import tickets as ticket_ops
from . import labels
from .auth import staff_required
from .http import json_body, optional_str

bp = Blueprint("dashboard", __name__)
csrf.exempt(bp)  # JSON writes are checked in staff_required; the page is read-only


def _snapshot(actor, slug: str) -> dict:
    return dashboard.dashboard(get_db(), actor, slug, now(), pause_alert_minutes=current_app.config["PAUSE_ALERT_MINUTES"])


def _config() -> dict:
    """The screen's words, translated here so the script holds no language."""
    texts = {
        "offline": _("Connection lost. Reconnecting..."), "network": _("The server cannot be reached."),
        "none": _("None"), "nobody": _("Nobody"), "done": _("Done."),
        "confirm_cancel": _("Cancel ticket %(number)s? The citizen leaves the queue."),
        "unknown_ticket": _("No waiting ticket has this number."),
        "wait_over_target": _("Service %(subject)s: the longest wait is %(minutes)s min, over the target of "
                              "%(limit_minutes)s min."),
        "counter_paused": _("Counter %(subject)s has been paused for %(minutes)s min (limit %(limit_minutes)s min)."),
        "printer": _("Kiosk %(subject)s printer: %(detail)s. The kiosk shows numbers on screen to photograph."),
        "no_alerts": _("No alerts."),
        "minutes": _("%(n)s min"),
    }
    return {"texts": texts, "labels": labels.for_script("TicketStatus", "CounterState", "PriorityGroup",
                                                             "PrinterState")}


@bp.app_context_processor
def _staff_bar_link() -> dict:
    """Whether the staff bar links to the dashboard: the member may watch their office."""
    def may_watch() -> bool:
        if not current_user.is_authenticated:
            return False
        actor = current_user.actor()
        return can(actor, Permission.OPERATE, actor.office_id)
    return {"may_watch_dashboard": may_watch}


@bp.get("/dashboard")
@login_required
def mine():
    """The member's own office (an owner's: the first office by name)."""
    return redirect(url_for(".page", slug=dashboard.office_slug_of(get_db(), current_user.actor())))


@bp.get("/dashboard/<slug>")
@login_required
def page(slug: str):
    snapshot = _snapshot(current_user.actor(), slug)
    return render_template("dashboard/dashboard.html", snapshot=snapshot, config=_config())


@bp.get("/dashboard/<slug>/staffing")
@login_required
def staffing_plan(slug: str):
    """The supervisor's plan for tomorrow (or ?date=YYYY-MM-DD): counters per service and
    hour for 90% of waits under the service's target (queries.staffing, docs/ETA.md)."""
    from datetime import date as _date

    from flask import request

    from ..domain import errors
    from ..queries import staffing
    actor = current_user.actor()
    snapshot = _snapshot(actor, slug)   # the office as the actor may watch it (404/403 otherwise)
    try:
        day = _date.fromisoformat(request.args["date"]) if request.args.get("date") else \
            staffing.tomorrow(now(), snapshot["office"]["timezone"])
    except ValueError:
        raise errors.InvalidInput(field="date") from None
    plan = staffing.plan(get_db(), slug, day, actor=actor)
    return render_template("dashboard/staffing.html", plan=plan, office=snapshot["office"])


@bp.get("/api/v1/offices/<slug>/dashboard")
@staff_required
def snapshot(slug: str):
    return jsonify(_snapshot(g.actor, slug))


@bp.post("/api/v1/offices/<slug>/dashboard/counters/<int:counter_id>/state")
@staff_required
def counter_state(slug: str, counter_id: int):
    state = optional_str(json_body(), "state", required=True)
    counter_id = dashboard.operable_counter(get_db(), g.actor, slug, counter_id)
    counter_ops.set_counter_state(get_db(), g.actor, counter_id, state, now=now())
    return jsonify(boards.counter(get_db(), counter_id))


@bp.post("/api/v1/offices/<slug>/dashboard/tickets/<int:ticket_id>/transfer")
@staff_required
def transfer(slug: str, ticket_id: int):
    body = json_body()
    service = optional_str(body, "service", required=True)
    position = optional_str(body, "position") or "keep"
    ticket_id = dashboard.operable_ticket(get_db(), g.actor, slug, ticket_id)
    change = ticket_ops.transfer(get_db(), g.actor, ticket_id, service, now=now(), position=position)
    return jsonify(_view(change))


@bp.post("/api/v1/offices/<slug>/dashboard/tickets/<int:ticket_id>/cancel")
@staff_required
def cancel(slug: str, ticket_id: int):
    ticket_id = dashboard.operable_ticket(get_db(), g.actor, slug, ticket_id)
    return jsonify(_view(ticket_ops.cancel(get_db(), g.actor, ticket_id, now=now())))


def _view(change) -> dict:
    view = ticket_views.changed(get_db(), change, staff=True)
    view.pop("replayed")
    view.pop("token", None)
    return view
