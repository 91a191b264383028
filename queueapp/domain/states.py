"""Ticket life cycle: the states, the actions and one table of allowed transitions."""
from __future__ import annotations

import enum

from .errors import IllegalTransition


class TicketStatus(str, enum.Enum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    ON_HOLD = "on_hold"
    # Waiting again, in another service's line, after a clerk transferred it.
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


class Action(str, enum.Enum):
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    HOLD = "hold"
    RESUME = "resume"
    TRANSFER = "transfer"
    CANCEL = "cancel"


S, A = TicketStatus, Action

TRANSITIONS: dict[tuple[TicketStatus, Action], TicketStatus] = {
    (S.WAITING, A.CALL): S.CALLED,
    (S.TRANSFERRED, A.CALL): S.CALLED,
    (S.CALLED, A.RECALL): S.CALLED,
    (S.CALLED, A.START): S.SERVING,
    # A clerk may finish straight from "called": the citizen came and was served at once.
    (S.CALLED, A.FINISH): S.DONE,
    (S.SERVING, A.FINISH): S.DONE,
    (S.CALLED, A.NO_SHOW): S.NO_SHOW,
    (S.WAITING, A.HOLD): S.ON_HOLD,
    (S.TRANSFERRED, A.HOLD): S.ON_HOLD,
    (S.CALLED, A.HOLD): S.ON_HOLD,
    (S.SERVING, A.HOLD): S.ON_HOLD,
    (S.ON_HOLD, A.RESUME): S.WAITING,
    (S.WAITING, A.TRANSFER): S.TRANSFERRED,
    (S.TRANSFERRED, A.TRANSFER): S.TRANSFERRED,
    (S.CALLED, A.TRANSFER): S.TRANSFERRED,
    (S.SERVING, A.TRANSFER): S.TRANSFERRED,
    (S.ON_HOLD, A.TRANSFER): S.TRANSFERRED,
    (S.WAITING, A.CANCEL): S.CANCELLED,
    (S.TRANSFERRED, A.CANCEL): S.CANCELLED,
    (S.CALLED, A.CANCEL): S.CANCELLED,
    (S.ON_HOLD, A.CANCEL): S.CANCELLED,
}

# States in which a ticket stands in a line and can be called.
CALLABLE = frozenset({S.WAITING, S.TRANSFERRED})
# States in which a ticket occupies a counter.
AT_COUNTER = frozenset({S.CALLED, S.SERVING})
FINAL = frozenset({S.DONE, S.NO_SHOW, S.CANCELLED})


def allowed_actions(current: TicketStatus | str) -> list[Action]:
    """The actions the state table allows from `current`, in Action order: what a clerk's
    screen enables (shipped in every ticket view, so no screen keeps its own list)."""
    current = TicketStatus(current)
    return [action for action in Action if (current, action) in TRANSITIONS]


# allowed_actions of each status as the views ship them (their values), worked out once.
_ACTION_VALUES = {status: tuple(action.value for action in allowed_actions(status)) for status in TicketStatus}


def allowed_action_values(current: TicketStatus | str) -> list[str]:
    """allowed_actions(current) as the values a ticket view carries."""
    return list(_ACTION_VALUES[TicketStatus(current)])


class CounterState(str, enum.Enum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


def next_status(current: TicketStatus | str, action: Action) -> TicketStatus:
    """The state after `action`, or IllegalTransition when the table does not allow it."""
    current = TicketStatus(current)
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(
            f"cannot {action.value} a ticket that is {current.value}",
            action=action.value, status=current.value,
        ) from None
