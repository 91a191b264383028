"""The words of the domain's enum members and of service names, in the page's language.

One table for Python, the templates (the `label` and `service_name` filters) and the screens'
scripts (`for_script`, sent in their config): no screen keeps its own list of states."""
from __future__ import annotations

import enum
from collections.abc import Mapping

from flask import Flask
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from ..domain.audit import AuditAction
from ..domain.booking import AppointmentStatus
from ..domain.channels import Channel
from ..domain.permissions import Role
from ..domain.printer import PrinterState
from ..domain.priority import PriorityGroup
from ..domain.states import Action, CounterState, TicketStatus

LABELS: dict[type[enum.Enum], dict[enum.Enum, LazyString]] = {
    TicketStatus: {
        TicketStatus.WAITING: _l("Waiting"),
        TicketStatus.CALLED: _l("Called"),
        TicketStatus.SERVING: _l("Being served"),
        TicketStatus.DONE: _l("Finished"),
        TicketStatus.NO_SHOW: _l("No-show"),
        TicketStatus.ON_HOLD: _l("On hold"),
        TicketStatus.TRANSFERRED: _l("Waiting (transferred)"),
        TicketStatus.CANCELLED: _l("Cancelled"),
    },
    Action: {
        Action.CALL: _l("Call"),
        Action.RECALL: _l("Recall"),
        Action.START: _l("Start"),
        Action.FINISH: _l("Finish"),
        Action.NO_SHOW: _l("No-show"),
        Action.HOLD: _l("Hold"),
        Action.RESUME: _l("Resume"),
        Action.TRANSFER: _l("Transfer"),
        Action.CANCEL: _l("Leave the queue"),
    },
    PriorityGroup: {
        PriorityGroup.LANSIA: _l("Elderly"),
        PriorityGroup.DISABILITAS: _l("Person with a disability"),
        PriorityGroup.IBU_HAMIL: _l("Pregnant woman"),
        PriorityGroup.ANAK: _l("Child"),
        PriorityGroup.KORBAN_BENCANA: _l("Disaster victim"),
    },
    CounterState: {
        CounterState.OPEN: _l("Open"),
        CounterState.PAUSED: _l("Paused"),
        CounterState.CLOSED: _l("Closed"),
    },
    Channel: {
        Channel.KIOSK: _l("Ticket kiosk"),
        Channel.ONLINE: _l("Online"),
        Channel.STAFF: _l("At the counter"),
        Channel.APPOINTMENT: _l("Appointment"),
    },
    Role: {
        Role.OWNER: _l("Owner"),
        Role.ADMIN: _l("Administrator"),
        Role.SUPERVISOR: _l("Supervisor"),
        Role.CLERK: _l("Counter clerk"),
    },
    AppointmentStatus: {
        AppointmentStatus.BOOKED: _l("Booked"),
        AppointmentStatus.CANCELLED: _l("Cancelled"),
        AppointmentStatus.CHECKED_IN: _l("Checked in"),
        AppointmentStatus.NO_SHOW: _l("Missed"),
        AppointmentStatus.RESCHEDULED: _l("Moved to another time"),
    },
    PrinterState: {
        PrinterState.OK: _l("OK"),
        PrinterState.PAPER_LOW: _l("Paper running low"),
        PrinterState.PAPER_OUT: _l("Out of paper"),
        PrinterState.COVER_OPEN: _l("Cover open"),
        PrinterState.OFFLINE: _l("Offline or not answering"),
        PrinterState.ERROR: _l("Printer error"),
        PrinterState.UNCONFIRMED: _l("Printing not confirmed"),
        PrinterState.MARKED_OUT: _l("Marked out of paper by staff"),
    },
    AuditAction: {
        AuditAction.OFFICE_CREATED: _l("Office created"),
        AuditAction.OFFICE_UPDATED: _l("Office changed"),
        AuditAction.ZONE_CREATED: _l("Zone created"),
        AuditAction.ZONE_UPDATED: _l("Zone changed"),
        AuditAction.SERVICE_CREATED: _l("Service created"),
        AuditAction.SERVICE_UPDATED: _l("Service changed"),
        AuditAction.COUNTER_CREATED: _l("Counter created"),
        AuditAction.COUNTER_UPDATED: _l("Counter changed"),
        AuditAction.HOURS_SET: _l("Opening hours set"),
        AuditAction.HOLIDAY_ADDED: _l("Holiday added"),
        AuditAction.HOLIDAY_REMOVED: _l("Holiday removed"),
        AuditAction.DEVICE_CREATED: _l("Device added"),
        AuditAction.DEVICE_UPDATED: _l("Device changed"),
        AuditAction.DEVICE_REMOVED: _l("Device removed"),
        AuditAction.STAFF_CREATED: _l("Account created"),
        AuditAction.STAFF_UPDATED: _l("Account changed"),
        AuditAction.PASSWORD_RESET: _l("Password reset"),
        AuditAction.PASSWORD_CHANGED: _l("Password changed by its owner"),
        AuditAction.STAFF_DEACTIVATED: _l("Account deactivated"),
        AuditAction.STAFF_REACTIVATED: _l("Account reactivated"),
        AuditAction.LOGIN: _l("Logged in"),
        AuditAction.LOGIN_FAILED: _l("Failed log-in"),
        AuditAction.TOKEN_CREATED: _l("API token created"),
        AuditAction.TOKEN_REVOKED: _l("API token revoked"),
        AuditAction.PRIVACY_PURGED: _l("Personal data past retention anonymised"),
        AuditAction.PRIVACY_EXPORTED: _l("A citizen's data exported on request"),
        AuditAction.PRIVACY_ERASED: _l("A citizen's data erased on request"),
    },
}

# What the ticket's holder reads on the status page: the state, and what to do in it.
HOLDER_STATUS: dict[TicketStatus, LazyString] = {
    TicketStatus.WAITING: _l("Waiting"),
    TicketStatus.TRANSFERRED: _l("Waiting (transferred)"),
    TicketStatus.CALLED: _l("Called: please go to the counter"),
    TicketStatus.SERVING: _l("Being served"),
    TicketStatus.DONE: _l("Finished"),
    TicketStatus.NO_SHOW: _l("Missed (did not come when called)"),
    TicketStatus.ON_HOLD: _l("On hold: please wait near the counter"),
    TicketStatus.CANCELLED: _l("Cancelled: you left the queue"),
}

ENUMS: dict[str, type[enum.Enum]] = {kind.__name__: kind for kind in LABELS}


def label(value: enum.Enum | str, kind: str | None = None) -> str:
    """The label of an enum member, or of a value of the enum named `kind`:
    `{{ action|label }}`, `{{ ticket.status|label("TicketStatus") }}`."""
    members = type(value) if isinstance(value, enum.Enum) else ENUMS[kind]
    return str(LABELS[members][members(value)])


def holder_status(status: TicketStatus | str) -> str:
    return str(HOLDER_STATUS[TicketStatus(status)])


def for_script(*kinds: str) -> dict[str, dict[str, str]]:
    """The tables of the enums named `kinds`, keyed by value, in the request's language: what a
    screen's script gets in its config (looked up with shared/i18n.js `label`)."""
    return {kind: {member.value: str(text) for member, text in LABELS[ENUMS[kind]].items()} for kind in kinds}


def service_name(view: Mapping, key: str = "name") -> str:
    """A service's name in the page's language, from any view of it: `<key>_en` beside `<key>`
    or `<key>_id` (ticket views: name/name_en; booking: name_id/name_en; appointments:
    service_name/service_name_en with key="service_name")."""
    english = view.get(f"{key}_en")
    if english and str(get_locale() or "id") == "en":
        return english
    return view[key] if key in view else view[f"{key}_id"]


def register(app: Flask) -> None:
    """The template filters `label` and `service_name`."""
    app.add_template_filter(label, "label")
    app.add_template_filter(service_name, "service_name")
