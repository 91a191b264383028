"""Named domain errors; each carries a stable code that the web layer maps to HTTP."""
from __future__ import annotations


def N_(text: str) -> str:
    """Marks the detail text of an error for the translation catalog (the domain stays free
    of Flask): messages translates it, then fills in the error's parameters."""
    return text


class DomainError(Exception):
    """Base of every rule violation. `code` is stable and shown to API clients."""

    code = "domain_error"

    def __init__(self, detail: str = "", **params):
        super().__init__(detail or self.code)
        # The detail as written (a text marked with N_ may hold %(name)s places).
        self.template = detail or self.code
        self.params = params

    def __str__(self) -> str:
        try:
            return self.template % self.params if "%(" in self.template else self.template
        except (KeyError, TypeError, ValueError):
            return self.template


class NotFound(DomainError):
    code = "not_found"


class OfficeNotFound(NotFound):
    code = "office_not_found"


class ServiceNotFound(NotFound):
    code = "service_not_found"


class CounterNotFound(NotFound):
    code = "counter_not_found"


class TicketNotFound(NotFound):
    code = "ticket_not_found"


class ZoneNotFound(NotFound):
    code = "zone_not_found"


class StaffNotFound(NotFound):
    code = "staff_not_found"


class DeviceNotFound(NotFound):
    code = "device_not_found"


class Conflict(DomainError):
    code = "conflict"


class AlreadyExists(Conflict):
    """A slug, service code, counter number, zone, device or username already taken
    (`what` names the field, `value` the value)."""

    code = "already_exists"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class QuotaReached(Conflict):
    code = "quota_reached"


class OfficeClosed(Conflict):
    """Outside walk-in hours (`opens`, `closes`: the day's hours) or closed by hand."""

    code = "office_closed"


class ClosedForHoliday(OfficeClosed):
    """A listed holiday of the office (`holiday` names it)."""


class ClosedAllDay(OfficeClosed):
    """A day without walk-in hours (a weekend for most offices)."""


class ServiceInactive(Conflict):
    code = "service_inactive"


class QueueEmpty(Conflict):
    code = "queue_empty"


class CounterClosed(Conflict):
    code = "counter_closed"


class CounterBusy(Conflict):
    code = "counter_busy"


class ServiceNotAtCounter(Conflict):
    code = "service_not_at_counter"


class InvalidInput(DomainError):
    code = "invalid_input"


class Unavailable(DomainError):
    """Something the request needs (a printer, ...) does not answer; trying again may work."""

    code = "unavailable"


class PermissionDenied(DomainError):
    """Outside the staff member's office (or zone)."""

    code = "forbidden"


class RoleNotAllowed(PermissionDenied):
    """The staff member's role does not hold the permission."""


class OutsideZone(PermissionDenied):
    """Inside the member's office, but beyond its zone (an agency of a Mal Pelayanan
    Publik), or a thing of the whole office that a zone's member may not change."""


# --- Appointments (issue 6) ---

class AppointmentNotFound(NotFound):
    code = "appointment_not_found"


class SlotFull(Conflict):
    code = "slot_full"


class LimitReached(Conflict):
    code = "limit_reached"


class BookingClosed(Conflict):
    """No appointments at that time: a holiday (`reason` names it), a break, closed hours."""

    code = "closed"


class OutsideWindow(Conflict):
    code = "outside_window"


class NotBookable(Conflict):
    code = "not_bookable"


class TooEarly(Conflict):
    code = "too_early"


class TooLate(Conflict):
    code = "too_late"


class AppointmentNotActive(Conflict):
    code = "appointment_not_active"


class OnlineJoinClosed(Conflict):
    code = "online_join_closed"


class InvalidNik(InvalidInput):
    code = "invalid_nik"


class InvalidPhone(InvalidInput):
    code = "invalid_phone"


class IdempotencyKeyReused(InvalidInput):
    """An Idempotency-Key sent again with another request (body, caller) inside its window."""
    code = "idempotency_key_reused"


class InvalidName(InvalidInput):
    code = "invalid_name"


class KioskNotFound(NotFound):
    code = "kiosk_not_found"


class ReprintWindowClosed(Conflict):
    code = "reprint_window_closed"


class PrintFailed(Unavailable):
    """The printer could not be reached or refused the job; the ticket stays valid."""

    code = "printer_failed"


# --- Staff security (issue 15) ---

class LoginLocked(DomainError):
    """Too many failed log-ins for this account or from this address: wait `minutes`."""

    code = "login_locked"


class TokenExpired(DomainError):
    """The API token is past its expires_at: an administrator issues a new one."""

    code = "token_expired"


class WrongPassword(InvalidInput):
    """The current password given to change one's own password is not right."""
