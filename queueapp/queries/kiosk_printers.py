"""Read side of kiosk printers: a kiosk's id and printer state (its page, its print job),
and the states of an office's kiosks (the admin devices page)."""
from __future__ import annotations

from sqlalchemy import select

from .. import repository
from ..db import Database
from ..models import Kiosk


def kiosk_printer(db: Database, office_slug: str, name: str | None) -> dict | None:
    """{"id", "state"} of a named kiosk of the office, or None (unnamed or unknown)."""
    if not name:
        return None
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        row = s.execute(select(Kiosk.id, Kiosk.printer_state)
                        .where(Kiosk.office_id == office.id, Kiosk.name == name)).first()
    return {"id": row[0], "state": row[1]} if row else None


def printer_states(db: Database, office_slug: str) -> dict[int, dict]:
    """{kiosk id: {"state", "checked_at"}} for every kiosk of the office."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        return {kiosk_id: {"state": state, "checked_at": checked}
                for kiosk_id, state, checked in s.execute(
                    select(Kiosk.id, Kiosk.printer_state, Kiosk.printer_checked_at)
                    .where(Kiosk.office_id == office.id))}


def has_logo(db: Database, office_slug: str) -> bool:
    """Whether the office uploaded a logo (served at /api/v1/offices/<slug>/logo)."""
    with db.read() as s:
        return bool(repository.office_by_slug(s, office_slug).logo_type)
