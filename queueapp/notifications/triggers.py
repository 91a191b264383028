"""What each change tells the citizen: one call from each use case, in its transaction.

A citizen without a consent costs one indexed look-up per ticket event; the "N people
ahead" check reads only the consenting tickets of the line that moved."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from ..domain import local_time
from ..domain.booking import AppointmentStatus, display_code
from ..domain.events import EventType
from ..domain.notify import Kind
from ..domain.states import TicketStatus
from ..models import Appointment, Counter, NotifyConsent, Office, Service, Ticket
from . import outbox

E = EventType
# Ticket events after which someone may have come nearer the front of the line.
MOVES_LINE = frozenset({E.TICKET_CALLED, E.TICKET_CANCELLED, E.TICKET_TRANSFERRED, E.TICKET_ON_HOLD})
# How many consenting tickets of one line are checked per move (a bound on the work).
AHEAD_BATCH = 50


def status_link(token: str) -> str:
    return f"/t/{token}"


def manage_link(token: str) -> str:
    return f"/booking/a/{token}"


def _service_name(service, language: str) -> str:
    return service.name_en if language == "en" and service.name_en else service.name_id


# --- appointments ---

def appointment_params(appointment: Appointment, office: Office, language: str) -> dict:
    start = local_time.local(appointment.slot_start, office.timezone)
    return {"code": display_code(appointment.code), "day": local_time.day(start.date(), language),
            "time": local_time.clock(appointment.slot_start, office.timezone),
            "service": _service_name(appointment.service, language),
            "requirements": " ".join((appointment.service.requirements or "-").split())[:120],
            "link": manage_link(appointment.manage_token)}


def _tell_appointment(session: Session, office: Office, appointment: Appointment, kind: Kind, key: str,
                      now: datetime) -> None:
    citizen = outbox.citizen_of(appointment_id=appointment.id)
    consents = outbox.active_consents(session, citizen)
    if consents:
        params = appointment_params(appointment, office, consents[0].language)
        outbox.enqueue(session, office.id, citizen, kind, params, key, now=now, consents=consents)


def appointment_booked(session: Session, office: Office, appointment: Appointment, notify: list[str] | None, *,
                       phone: str, language: str | None, now: datetime, secret_key: str) -> None:
    """Record the citizen's consent (if any) and queue the confirmation with the code."""
    if not notify:
        return
    outbox.record_consent(session, office.id, notify, phone, now=now, secret_key=secret_key, language=language,
                          appointment_id=appointment.id)
    _tell_appointment(session, office, appointment, Kind.BOOKED, "booked", now)


def appointment_changed(session: Session, office: Office, old: Appointment, new: Appointment | None, *,
                        now: datetime) -> None:
    """Cancelled (new is None) or rescheduled: the consents follow the new booking."""
    if new is None:
        _tell_appointment(session, office, old, Kind.CANCELLED, "cancelled", now)
        return
    for consent in outbox.active_consents(session, outbox.citizen_of(appointment_id=old.id)):
        session.add(NotifyConsent(office_id=consent.office_id, appointment_id=new.id, channel=consent.channel,
                                  recipient=consent.recipient, recipient_hash=consent.recipient_hash,
                                  language=consent.language, text_version=consent.text_version,
                                  given_by=consent.given_by, given_at=consent.given_at))
    session.flush()
    _tell_appointment(session, office, new, Kind.RESCHEDULED, "rescheduled", now)


def appointment_checked_in(session: Session, appointment: Appointment, ticket_id: int) -> None:
    """The booking became a ticket: the consents follow it, so the citizen hears "3 ahead"
    and "called" like anyone who joined (no "joined" message: they stand in the office)."""
    for consent in outbox.active_consents(session, outbox.citizen_of(appointment_id=appointment.id)):
        session.add(NotifyConsent(office_id=consent.office_id, ticket_id=ticket_id, channel=consent.channel,
                                  recipient=consent.recipient, recipient_hash=consent.recipient_hash,
                                  language=consent.language, text_version=consent.text_version,
                                  given_by=consent.given_by, given_at=consent.given_at))
        outbox.mark_ticket(session, ticket_id)
    session.flush()


def days_closed(session: Session, office: Office, days: list[date], *, now: datetime) -> int:
    """The office closed these days: every consenting booking on them is told, with the
    manage link to pick another slot. Returns how many were queued."""
    if not days:
        return 0
    queued = 0
    for appointment in session.execute(
            select(Appointment).join(NotifyConsent, NotifyConsent.appointment_id == Appointment.id)
            .where(Appointment.office_id == office.id, Appointment.status == AppointmentStatus.BOOKED,
                   Appointment.slot_start >= now).distinct()).scalars():
        day = local_time.local(appointment.slot_start, office.timezone).date()
        if day not in days:
            continue
        citizen = outbox.citizen_of(appointment_id=appointment.id)
        consents = outbox.active_consents(session, citizen)
        if consents and outbox.enqueue(session, office.id, citizen, Kind.DAY_CLOSED,
                                       appointment_params(appointment, office, consents[0].language),
                                       f"closed:{day}", now=now, consents=consents):
            queued += 1
    return queued


# --- tickets ---

def ticket_consented(session: Session, office: Office, ticket: Ticket, notify: list[str] | None, *,
                     phone: str | None, language: str | None, now: datetime, secret_key: str,
                     given_by: str = "citizen", recipient: str | None = None) -> None:
    """Record the consent for a ticket and queue the "joined" message (number and link)."""
    if not notify:
        return
    outbox.record_consent(session, office.id, notify, phone, now=now, secret_key=secret_key, language=language,
                          ticket_id=ticket.id, given_by=given_by, recipient=recipient)
    citizen = outbox.citizen_of(ticket_id=ticket.id)
    consents = outbox.active_consents(session, citizen)
    params = {"number": ticket.code, "service": _service_name(ticket.service, consents[0].language),
              "link": status_link(ticket.token)}
    outbox.enqueue(session, office.id, citizen, Kind.JOINED, params, "joined", now=now, consents=consents)


def _counter_name(session: Session, counter_id: int | None) -> str:
    if counter_id is None:
        return "-"
    counter = session.get(Counter, counter_id)
    return str(counter.number) if counter is not None else "-"


# The changes a citizen is told of (when their ticket takes notices).
_KINDS = {E.TICKET_CALLED: Kind.CALLED, E.TICKET_RECALLED: Kind.RECALLED, E.TICKET_NO_SHOW: Kind.NO_SHOW,
          E.TICKET_TRANSFERRED: Kind.TRANSFERRED, E.TICKET_FINISHED: Kind.SURVEY}


def may_tell(type_: EventType, ticket: Ticket) -> bool:
    """Whether ticket_event may tell anyone of this change (else it need not be called: a
    number just issued tells nobody; its "joined" message comes with the consent,
    ticket_consented)."""
    type_ = EventType(type_)
    return type_ in MOVES_LINE or (type_ in _KINDS and bool(ticket.notify))


def ticket_event(session: Session, office: Office, ticket: Ticket, type_: EventType, now: datetime, *,
                 seq: int, data: dict | None = None) -> None:
    """After a ticket's change (its event recorded): tell the citizen what concerns them,
    and tell the waiting citizens of its line who came within the office's threshold."""
    type_ = EventType(type_)
    if type_ in MOVES_LINE:
        _tell_ahead(session, office, ticket, now, left=(data or {}).get("from_service"))
    kind = _KINDS.get(type_)
    if kind is None or not ticket.notify:
        return
    citizen = outbox.citizen_of(ticket_id=ticket.id)
    consents = outbox.active_consents(session, citizen)
    if not consents:
        return
    language = consents[0].language
    params = {"number": ticket.code}
    if kind in (Kind.CALLED, Kind.RECALLED):
        params["counter"] = _counter_name(session, ticket.counter_id)
    elif kind is Kind.TRANSFERRED:
        # The relationship may still hold the old service: read the new one by its id.
        params.update(service=_service_name(session.get(Service, ticket.service_id), language),
                      link=status_link(ticket.token))
    elif kind is Kind.SURVEY:
        params["link"] = status_link(ticket.token) + "/survei"
    else:
        params["link"] = status_link(ticket.token)
    outbox.enqueue(session, office.id, citizen, kind, params, f"{kind.value}:{seq}", now=now, consents=consents)


def _tell_ahead(session: Session, office: Office, moved: Ticket, now: datetime, left: str | None = None) -> None:
    """ "N people ahead of you", once per ticket and line, when N reaches the threshold.
    Ahead = waiting tickets of the same service queued before it (the plain line order).
    `left`: the prefix of the line a transferred ticket left (that line moved too)."""
    if office.notify_day != moved.business_date:
        return   # nobody of this day agreed to messages
    services = {moved.service_id}
    if left:
        services |= set(session.execute(select(Service.id).where(Service.office_id == office.id,
                                                                 Service.prefix == left)).scalars())
    waiting = and_(Ticket.office_id == office.id, Ticket.business_date == moved.business_date,
                   Ticket.status == TicketStatus.WAITING)
    consenting = session.execute(
        select(Ticket).join(NotifyConsent, NotifyConsent.ticket_id == Ticket.id)
        .where(waiting, Ticket.notify.is_(True), Ticket.service_id.in_(services), NotifyConsent.withdrawn_at.is_(None))
        .distinct().order_by(Ticket.queued_at, Ticket.id).limit(AHEAD_BATCH)).scalars().all()
    if not consenting:
        return
    threshold = outbox.settings_of(session, office.id).ahead_threshold
    other = aliased(Ticket)
    done_lines = set()
    for ticket in consenting:
        if ticket.service_id in done_lines:
            continue
        ahead = session.execute(select(func.count()).select_from(other).where(
            other.office_id == office.id, other.business_date == ticket.business_date,
            other.status == TicketStatus.WAITING, other.service_id == ticket.service_id,
            or_(other.queued_at < ticket.queued_at,
                and_(other.queued_at == ticket.queued_at, other.id < ticket.id)))).scalar_one()
        if ahead > threshold:
            done_lines.add(ticket.service_id)   # the later ones of this line are further back
            continue
        params = {"number": ticket.code, "ahead": ahead, "link": status_link(ticket.token)}
        outbox.enqueue(session, office.id, outbox.citizen_of(ticket_id=ticket.id), Kind.AHEAD, params,
                       f"ahead:{ticket.service_id}", now=now)
