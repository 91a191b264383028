"""Web push subscriptions of a ticket: the citizen's browser subscribes from the status page
(the ticket's token is the key), unsubscribes, and the server forgets a subscription the push
service calls gone or whose ticket's personal data passed its retention. No event is
recorded: a subscription changes nothing any screen shows."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from .. import repository
from ..db import Database
from ..domain import errors
from ..domain.errors import N_
from ..domain.numbering import business_date
from ..domain.push import MAX_ENDPOINT, InvalidSubscription, Subscription, TicketFinished
from ..domain.states import FINAL
from ..models import NotifyConsent, Office, PushSubscription, Ticket
from ..notifications import triggers, webpush

# Browsers that may follow one ticket (a citizen's phone and a relative's); a new one past
# this replaces the oldest.
MAX_PER_TICKET = 5


def _open_ticket(session, token: str, now: datetime) -> Ticket:
    """Today's ticket of `token`, while it may still be called. Raises TicketNotFound (unknown
    or of an earlier day, as the status page), TicketFinished."""
    ticket = repository.ticket_by_token(session, token)
    office = session.get(Office, ticket.office_id)
    if ticket.business_date < business_date(now, office.timezone):
        raise errors.TicketNotFound()
    if ticket.status in FINAL:
        raise TicketFinished(N_("This ticket is finished: there is nothing more to notify"))
    return ticket


def subscribe(db: Database, token: str, subscription: Subscription, *, now: datetime, secret_key: str,
              locale: str = "id") -> int:
    """Keep the browser's subscription for the ticket of `token` (the same endpoint again
    updates its keys) and record the citizen's consent to web push for the ticket (the
    "joined" message is queued, as for any first consent). Returns the subscription's id.
    Raises TicketNotFound, TicketFinished."""
    with db.write() as uow:
        session = uow.session
        ticket = _open_ticket(session, token, now)
        office = uow.lock_office(ticket.office_id)
        row = session.execute(select(PushSubscription).where(
            PushSubscription.ticket_id == ticket.id, PushSubscription.endpoint == subscription.endpoint)
        ).scalar_one_or_none()
        if row is None:
            row = PushSubscription(office_id=ticket.office_id, ticket_id=ticket.id, endpoint=subscription.endpoint,
                                   created_at=now)
            session.add(row)
        row.p256dh, row.auth, row.locale = subscription.p256dh, subscription.auth, locale
        session.flush()
        kept = select(PushSubscription.id).where(PushSubscription.ticket_id == ticket.id).order_by(
            PushSubscription.created_at.desc(), PushSubscription.id.desc()).limit(MAX_PER_TICKET)
        session.execute(delete(PushSubscription).where(PushSubscription.ticket_id == ticket.id,
                                                       PushSubscription.id.not_in(kept.scalar_subquery())),
                        execution_options={"synchronize_session": False})
        triggers.ticket_consented(session, office, ticket, [webpush.NAME], phone=None, language=locale, now=now,
                                  secret_key=secret_key, recipient=webpush.recipient_of(ticket.id))
        return row.id


def unsubscribe(db: Database, token: str, endpoint: str, *, now: datetime) -> bool:
    """Forget the browser's subscription for the ticket of `token` (whatever the ticket's
    state); with the ticket's last browser gone, its web push consent is withdrawn. Returns
    whether there was one. Raises TicketNotFound, InvalidSubscription."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT:
        raise InvalidSubscription(N_("The push endpoint must be a URL of at most %(max)s characters"),
                                  max=MAX_ENDPOINT)
    with db.write() as uow:
        ticket = repository.ticket_by_token(uow.session, token)
        result = uow.session.execute(delete(PushSubscription).where(
            PushSubscription.ticket_id == ticket.id, PushSubscription.endpoint == endpoint))
        if uow.session.execute(select(PushSubscription.id).where(PushSubscription.ticket_id == ticket.id)).first() \
                is None:
            uow.session.execute(update(NotifyConsent).where(
                NotifyConsent.ticket_id == ticket.id, NotifyConsent.channel == webpush.NAME,
                NotifyConsent.withdrawn_at.is_(None)).values(withdrawn_at=now))
        return result.rowcount > 0


def forget(db: Database, subscription_id: int) -> None:
    """The push service answered 404/410 for this subscription: the browser left it."""
    with db.write() as uow:
        uow.session.execute(delete(PushSubscription).where(PushSubscription.id == subscription_id))


def purge_issued_before(db: Database, cutoff: datetime, *, dry_run: bool = False) -> int:
    """Delete the subscriptions of tickets issued before `cutoff` (the retention of a
    ticket's personal data: privacy.purge). Returns how many (or, dry, would be)."""
    old_tickets = select(Ticket.id).where(Ticket.issued_at < cutoff)
    where = PushSubscription.ticket_id.in_(old_tickets)
    if dry_run:
        with db.read() as session:
            return len(session.execute(select(PushSubscription.id).where(where)).all())
    with db.write() as uow:
        return uow.session.execute(delete(PushSubscription).where(where),
                                   execution_options={"synchronize_session": False}).rowcount
