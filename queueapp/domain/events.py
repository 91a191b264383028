"""The names of the events in the office's log and on its Socket.IO rooms."""
from __future__ import annotations

import enum


class EventType(str, enum.Enum):
    TICKET_ISSUED = "ticket.issued"
    TICKET_CALLED = "ticket.called"
    TICKET_RECALLED = "ticket.recalled"
    TICKET_STARTED = "ticket.started"
    TICKET_FINISHED = "ticket.finished"
    TICKET_NO_SHOW = "ticket.no_show"
    TICKET_ON_HOLD = "ticket.on_hold"
    TICKET_RESUMED = "ticket.resumed"
    TICKET_TRANSFERRED = "ticket.transferred"
    TICKET_CANCELLED = "ticket.cancelled"
    COUNTER_UPDATED = "counter.updated"
    APPOINTMENT_BOOKED = "appointment.booked"
    APPOINTMENT_CANCELLED = "appointment.cancelled"
    APPOINTMENT_RESCHEDULED = "appointment.rescheduled"
    APPOINTMENT_NO_SHOW = "appointment.no_show"
    # An administrator changed what screens show (a service renamed, hours, a counter's
    # services, the running text): every screen of the office takes a fresh snapshot.
    OFFICE_CONFIGURED = "office.configured"
    # The supervisor's dashboard: a condition of domain.alerts began or ended (data: the
    # alert's key, kind, subject, minutes and limit). Staff screens may react; boards ignore them.
    ALERT_RAISED = "alert.raised"
    ALERT_CLEARED = "alert.cleared"


# A call puts a number on the lobby board and is announced once per call id.
CALL_EVENTS = frozenset({EventType.TICKET_CALLED, EventType.TICKET_RECALLED})
# The same as the strings a published event carries (PublishedEvent.type): no enum to make per event.
CALL_EVENT_TYPES = frozenset(event.value for event in CALL_EVENTS)
ALERT_EVENTS = frozenset({EventType.ALERT_RAISED, EventType.ALERT_CLEARED})


def call_id(office_slug: str, seq: int) -> str:
    """A call's identity: unique per office, so a display announces it exactly once."""
    return f"{office_slug}:{seq}"
