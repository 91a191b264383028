"""Kiosk use case of the command line: set up (or change) a kiosk by its name, through the
same device use cases as the admin pages (checked, audited, shown live)."""
from __future__ import annotations

from datetime import datetime, timezone

from .. import repository
from ..db import Database
from ..repository import KioskSettings
from . import devices


def configure_kiosk(db: Database, office_slug: str, name: str, *, paper: int, printer: str,
                    now: datetime | None = None) -> KioskSettings:
    """Create or change kiosk `name` of an office. Raises OfficeNotFound, InvalidInput."""
    now = now or datetime.now(timezone.utc)
    name = (name or "").strip()
    with db.read() as s:
        kiosk_id = repository.office_ids(s, repository.office_by_slug(s, office_slug))["kiosks"].get(name)
    fields = {"paper": paper, "printer": printer}
    if kiosk_id is None:
        devices.add_kiosk(db, None, office_slug, {"name": name, **fields}, now=now)
    else:
        devices.update_kiosk(db, None, kiosk_id, fields, now=now)
    with db.read() as s:
        return repository.kiosk(s, repository.office_by_slug(s, office_slug), name)
