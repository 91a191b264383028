"""What screens receive with each committed event: the views of the ticket and counter
it concerns, read after commit. A view shows the row as it is when read: when a later
change already followed, the later event follows with its own view."""
from __future__ import annotations

from ..db import Database, PublishedEvent
from ..domain.events import EventType
from ..models import Counter
from .boards import counter_view
from .tickets import load_ticket, remember_sent, ticket_view


def event_views(db: Database, events: list[PublishedEvent]) -> list[tuple[PublishedEvent, dict | None, dict | None]]:
    """(event, ticket view, counter view) for each event, read in one transaction."""
    result = []
    with db.read() as session:
        for event in events:
            ticket = load_ticket(session, event.ticket_id) if event.ticket_id else None
            counter = None
            if event.type == EventType.COUNTER_UPDATED.value and event.counter_id:
                counter = counter_view(session, session.get(Counter, event.counter_id))
            view = ticket_view(session, ticket) if ticket else None
            if view is not None:
                remember_sent(db, ticket.id, event.seq, view)
            result.append((event, view, counter))
    return result
