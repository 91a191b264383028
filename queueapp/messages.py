"""What every failure says to a person, in their language: domain errors keyed by their
class (a subclass without its own entry says what its parent says), failures of the HTTP
and socket layer keyed by their code. Pages, the JSON API, the CLI and sockets all ask here."""
from __future__ import annotations

from flask_babel import gettext, lazy_gettext as _l

from .domain import errors as e
from .domain import skm

DOMAIN_MESSAGES = {
    e.DomainError: _l("The request could not be completed."),
    e.NotFound: _l("Not found."),
    e.OfficeNotFound: _l("This office does not exist."),
    e.ServiceNotFound: _l("This service does not exist in this office."),
    e.CounterNotFound: _l("This counter does not exist."),
    e.TicketNotFound: _l("This ticket does not exist or is no longer valid."),
    e.ZoneNotFound: _l("This zone does not exist in this office."),
    e.StaffNotFound: _l("This staff account does not exist."),
    e.DeviceNotFound: _l("This device does not exist in this office."),
    e.Conflict: _l("This is not possible in the current state. Reload the page and try again."),
    e.AlreadyExists: _l("%(value)s is already taken. Choose another %(what)s."),
    e.IllegalTransition: _l("This action is not possible for the ticket in its current state."),
    e.QuotaReached: _l("Today's quota for this service has been reached. Please come back on the next working day."),
    e.OfficeClosed: _l("The office is closed now. Opening hours: %(opens)s-%(closes)s."),
    e.ClosedForHoliday: _l("The office is closed today: %(holiday)s."),
    e.ClosedAllDay: _l("The office does not open today."),
    e.ServiceInactive: _l("This service is not available at the moment."),
    e.QueueEmpty: _l("No one is waiting for this counter."),
    e.CounterClosed: _l("This counter is closed."),
    e.CounterBusy: _l("Ticket %(number)s is still at this counter. Finish it first."),
    e.ServiceNotAtCounter: _l("Ticket %(number)s belongs to a service this counter does not serve."),
    e.InvalidInput: _l("The request is not valid: %(detail)s"),
    e.PermissionDenied: _l("You may only act inside your own office."),
    e.RoleNotAllowed: _l("Your role may not do this."),
    e.OutsideZone: _l("Your account works in one zone (agency) of this office: this belongs to another zone "
                      "or to the whole office."),
    e.KioskNotFound: _l("This kiosk is not set up for this office."),
    e.ReprintWindowClosed: _l("A ticket can be reprinted at the kiosk only within %(seconds)s seconds. "
                              "Please ask a counter clerk."),
    e.AppointmentNotFound: _l("No appointment has this code or link. Check the code and the office."),
    e.SlotFull: _l("This time slot has just been filled. Please choose another time."),
    e.LimitReached: _l("The booking limit for this NIK or phone number has been reached (%(limit)s). "
                       "Cancel another booking or choose another day."),
    e.BookingClosed: _l("The office takes no appointments at that time: %(reason)s."),
    e.OutsideWindow: _l("Appointments can be booked from %(first)s to %(last)s."),
    e.NotBookable: _l("This service cannot be booked online."),
    e.TooEarly: _l("It is too early to check in. Please come back at %(come_back)s."),
    e.TooLate: _l("The check-in time for this appointment has passed. Please take a new number at the kiosk."),
    e.AppointmentNotActive: _l("This appointment is no longer active."),
    e.OnlineJoinClosed: _l("This service does not take online queue registrations."),
    e.InvalidNik: _l("The NIK must be 16 digits, as printed on the KTP or KK."),
    e.InvalidPhone: _l("Enter an Indonesian mobile number, e.g. 0812 3456 7890."),
    e.InvalidName: _l("Enter a name of 2 to 100 characters."),
    e.IdempotencyKeyReused: _l("This Idempotency-Key was already used for another request. Send a new key "
                               "for a new ticket."),
    e.Unavailable: _l("This is not available right now. Please try again in a moment."),
    e.PrintFailed: _l("The ticket could not be printed. Your number is still valid."),
    e.LoginLocked: _l("Too many log-in attempts. Try again in %(minutes)s minutes."),
    e.TokenExpired: _l("This API token has expired. Ask an administrator for a new one."),
    e.WrongPassword: _l("The current password is not right."),
    skm.TicketNotFinished: _l("The survey opens when your service is finished."),
    skm.SurveyClosed: _l("The survey for this ticket has closed (it stays open %(days)s days after the service)."),
    skm.AlreadyAnswered: _l("This ticket's survey has already been answered. Thank you."),
    skm.MissingAnswer: _l("Please answer every question of the survey. Not answered yet: %(elements)s."),
    skm.InvalidAnswer: _l("The survey's answers are not valid: %(detail)s."),
}

# Failures that happen before any use case runs.
PROTOCOL_MESSAGES = {
    "bad_request": _l("The request could not be read. Send valid JSON."),
    "unauthorized": _l("Please log in or send a valid staff token."),
    "csrf_failed": _l("The form has expired or did not come from this site. Nothing was saved: "
                      "reload the page and send it again."),
    "forbidden": DOMAIN_MESSAGES[e.PermissionDenied],
    "not_found": DOMAIN_MESSAGES[e.NotFound],
    "method_not_allowed": _l("This method is not allowed here."),
    "rate_limited": _l("Too many requests. Please wait a moment and try again."),
    "payload_too_large": _l("The request is too large."),
    "too_many_subscriptions": _l("This screen follows too many rooms at once. Reload the page."),
    "internal_error": _l("Something went wrong on the server. The team has been notified."),
    "unavailable": _l("The service is briefly unavailable. Please try again in a minute."),
}


def _format(text, params: dict | None) -> str:
    try:
        return str(text) % params if params else str(text).replace("%%", "%")
    except (KeyError, TypeError, ValueError):
        return gettext("The request is not valid: %(detail)s", detail=str(text))


def _detail(error: e.DomainError) -> str:
    """The error's detail in the user's language: a text marked with N_ is in the catalog,
    with %(name)s places for the error's parameters."""
    try:
        text = gettext(error.template)
        return text % error.params if "%(" in error.template else text
    except (KeyError, TypeError, ValueError):
        return str(error)


# What AlreadyExists names in prose ("A is already taken. Choose another code.").
TAKEN_WHAT = {
    "code": _l("code"), "name": _l("name"), "number": _l("counter number"), "slug": _l("short name"),
    "username": _l("username"),
}


def error_params(error: e.DomainError) -> dict:
    """The error's parameters, with the detail an invalid-input message shows."""
    params = dict(error.params)
    if params.get("what") in TAKEN_WHAT:
        params["what"] = str(TAKEN_WHAT[params["what"]])
    params.setdefault("detail", _detail(error))
    return params


def for_error(error: e.DomainError) -> str:
    """The message of a domain error, filled with its parameters."""
    text = next(DOMAIN_MESSAGES[cls] for cls in type(error).__mro__ if cls in DOMAIN_MESSAGES)
    return _format(text, error_params(error))


def for_code(code: str) -> str:
    """The message of a failure of the HTTP or socket layer ("bad_request", ...)."""
    return _format(PROTOCOL_MESSAGES.get(code, PROTOCOL_MESSAGES["bad_request"]), None)
