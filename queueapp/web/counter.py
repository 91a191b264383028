"""The clerk's counter workstation: pick a counter of your office, then serve from it.

Every action goes through the JSON API (/api/v1/counters/..., /api/v1/tickets/...)
with the session cookie and the X-CSRFToken header; the screen stays live through
the rooms {"counter": id} and {"office": slug, "staff": true}.
"""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import get_db
from ..queries import boards

bp = Blueprint("counter", __name__, url_prefix="/counter")


@bp.get("")
@login_required
def choose():
    office, counters = boards.counter_choice(get_db(), current_user.actor())
    return render_template("counter/choose.html", office=office, counters=counters)


def _texts() -> dict:
    """The screen's words, translated here so the script holds no language."""
    return {
        "confirm_busy": _("Ticket %(number)s is still at this counter. Finish it and call the next one?"),
        "none": _("No ticket at this counter."), "waited": _("Waited"), "serving": _("Serving"),
        "called": _("Called"), "status_called": _("Called"), "status_serving": _("Serving"),
        "priority": _("Priority"), "offline": _("Connection lost. Reconnecting..."),
        "empty": _("No one is waiting."), "resume": _("Resume"), "done": _("Done."),
        "state_open": _("Open"), "state_paused": _("Paused"), "state_closed": _("Closed"),
        "network": _("The server cannot be reached. Check the network and try again."),
        "priority_lansia": _("Elderly"), "priority_disabilitas": _("Person with a disability"),
        "priority_ibu_hamil": _("Pregnant woman"), "priority_anak": _("Child"),
        "priority_korban_bencana": _("Disaster victim"),
    }


@bp.get("/<int:counter_id>")
@login_required
def workstation(counter_id: int):
    counter, office, services = boards.workstation(get_db(), current_user.actor(), counter_id)
    return render_template("counter/workstation.html", counter=counter, office=office,
                           services=services, texts=_texts())
