"""Loading rows for a use case, inside the acting staff member's office."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import errors
from ..models import Counter, Office, Service, Ticket


@dataclass(frozen=True)
class Actor:
    """The staff member performing an action."""

    staff_id: int
    office_id: int
    role: str


def office_by_slug(session: Session, slug: str) -> Office:
    office = session.execute(select(Office).where(Office.slug == slug)).scalar_one_or_none()
    if office is None:
        raise errors.OfficeNotFound(office=slug)
    return office


def service_by_prefix(session: Session, office: Office, prefix: str) -> Service:
    service = session.execute(select(Service).where(
        Service.office_id == office.id, Service.prefix == str(prefix).upper())).scalar_one_or_none()
    if service is None:
        raise errors.ServiceNotFound(service=prefix)
    return service


def _check_office(actor: Actor, office_id: int) -> None:
    if actor.office_id != office_id:
        raise errors.PermissionDenied("outside your office")


def counter_for(session: Session, actor: Actor, counter_id: int) -> Counter:
    counter = session.get(Counter, counter_id)
    if counter is None:
        raise errors.CounterNotFound(counter=counter_id)
    _check_office(actor, counter.office_id)
    return counter


def ticket_for(session: Session, actor: Actor, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise errors.TicketNotFound(ticket=ticket_id)
    _check_office(actor, ticket.office_id)
    return ticket


def ticket_by_token(session: Session, token: str) -> Ticket:
    ticket = session.execute(select(Ticket).where(Ticket.token == token)).scalar_one_or_none()
    if ticket is None:
        raise errors.TicketNotFound()
    return ticket
