"""Kiosk use cases of the command line: set up (or change) a kiosk by its name, and pair
it with a new device token, through the same device use cases as the admin pages
(checked, audited, shown live)."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from .. import repository
from ..db import Database
from ..models import Kiosk
from ..repository import KioskSettings
from . import devices


def _kiosk_id(db: Database, office_slug: str, name: str) -> int | None:
    with db.read() as s:
        return repository.office_ids(s, repository.office_by_slug(s, office_slug))["kiosks"].get(name)


def configure_kiosk(db: Database, office_slug: str, name: str, *, paper: int | None = None,
                    printer: str | None = None, now: datetime | None = None) -> KioskSettings:
    """Create kiosk `name` of an office (80 mm, browser printing unless given), or change
    the fields given. Raises OfficeNotFound, InvalidInput."""
    now = now or datetime.now(timezone.utc)
    name = (name or "").strip()
    kiosk_id = _kiosk_id(db, office_slug, name)
    fields = {key: value for key, value in (("paper", paper), ("printer", printer)) if value is not None}
    if kiosk_id is None:
        devices.add_kiosk(db, None, office_slug, {"name": name, "paper": 80, "printer": "browser", **fields},
                          now=now)
    elif fields:
        devices.update_kiosk(db, None, kiosk_id, fields, now=now)
    with db.read() as s:
        return repository.kiosk(s, repository.office_by_slug(s, office_slug), name)


def new_device_token(db: Database, office_slug: str, name: str, *, now: datetime | None = None) -> str:
    """Pair kiosk `name` (created when missing) with a new device token and return it; its
    earlier token stops working. Raises OfficeNotFound, InvalidInput."""
    now = now or datetime.now(timezone.utc)
    configure_kiosk(db, office_slug, name, now=now)
    return devices.pair_kiosk(db, None, _kiosk_id(db, office_slug, name.strip()), now=now)


def is_paired(db: Database, office_slug: str, name: str) -> bool:
    """Whether kiosk `name` of the office has a device token (False when it does not exist)."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        return s.execute(select(Kiosk.id).where(Kiosk.office_id == office.id, Kiosk.name == name,
                                                Kiosk.token_hash.is_not(None))).first() is not None
