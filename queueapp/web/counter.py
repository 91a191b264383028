"""The clerk's counter workstation: pick a counter of your office, then serve from it.

Every action goes through the JSON API (/api/v1/counters/..., /api/v1/tickets/...)
with the session cookie and the X-CSRFToken header; the screen stays live through
the rooms {"counter": id} and {"office": slug, "staff": true}.
"""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.states import Action
from ..extensions import get_db
from ..queries import boards
from . import labels

bp = Blueprint("counter", __name__, url_prefix="/counter")


@bp.get("")
@login_required
def choose():
    office, counters = boards.counter_choice(get_db(), current_user.actor())
    return render_template("counter/choose.html", office=office, counters=counters)


# The buttons of the ticket at the counter and their keyboard shortcuts; each is enabled when
# the ticket's `actions` hold its action.
ACTION_BUTTONS = ((Action.RECALL, "r"), (Action.START, "s"), (Action.FINISH, "f"), (Action.NO_SHOW, "x"),
                  (Action.HOLD, "h"))


def _config() -> dict:
    """The screen's words, translated here so the script holds no language."""
    texts = {
        "confirm_busy": _("Ticket %(number)s is still at this counter. Finish it and call the next one?"),
        "none": _("No ticket at this counter."), "offline": _("Connection lost. Reconnecting..."),
        "empty": _("No one is waiting."), "done": _("Done."),
        "network": _("The server cannot be reached. Check the network and try again."),
        "confirm_paused": _("This counter is on a break. End the break and call the next number?"),
        "confirm_last_recall": _("%(number)s has already been called %(calls)s times, the office's limit: "
                                 "this recall marks it as a no-show instead. Continue?"),
        "calls": _("%(calls)s of %(max)s"),
        "waited": _("waiting %(time)s"),
    }
    return {"texts": texts, "done": _confirmations(), "staff_id": str(current_user.actor().staff_id),
            "labels": labels.for_script("TicketStatus", "PriorityGroup", "CounterState", "Action", "Channel")}


def _confirmations() -> dict:
    """What the message bar says after each action succeeded: one sentence per action, so a
    clerk can tell that a hold was a hold (%(number)s: the ticket; %(service)s: a transfer's)."""
    return {
        "call": _("%(number)s is called."),
        "recall": _("%(number)s is called again."),
        "start": _("Serving %(number)s."),
        "finish": _("%(number)s is finished."),
        "no_show": _("%(number)s is marked as a no-show."),
        "hold": _("%(number)s is on hold. Resume it from the list when the citizen is ready."),
        "resume": _("%(number)s is back in the line."),
        "transfer": _("%(number)s is transferred to %(service)s."),
        "auto_no_show": _("%(number)s did not come after the last call: marked as a no-show."),
        "state_open": _("The counter is open."),
        "state_paused": _("The counter is on a break. Calling the next number ends the break."),
        "state_closed": _("The counter is closed."),
    }


@bp.get("/<int:counter_id>")
@login_required
def workstation(counter_id: int):
    counter, office, services = boards.workstation(get_db(), current_user.actor(), counter_id)
    return render_template("counter/workstation.html", counter=counter, office=office,
                           services=services, config=_config(), buttons=ACTION_BUTTONS)
