"""Read side of administration shared by every admin page: the office's head (for the
page's title, navigation and zone choices)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from .. import repository
from ..db import Database
from ..domain.setup import TIMEZONE_NAMES
from ..models import Zone


@dataclass(frozen=True)
class OfficeHead:
    id: int
    slug: str
    name: str
    timezone: str
    # "WIB", "WITA" or "WIT"
    timezone_name: str
    # (id, name) of each zone, in order
    zones: tuple[tuple[int, str], ...]


def office_head(db: Database, slug: str) -> OfficeHead:
    """Raises OfficeNotFound."""
    with db.read() as s:
        office = repository.office_by_slug(s, slug)
        zones = s.execute(select(Zone.id, Zone.name).where(Zone.office_id == office.id)
                          .order_by(Zone.position, Zone.name)).all()
        return OfficeHead(office.id, office.slug, office.name, office.timezone,
                          TIMEZONE_NAMES.get(office.timezone, office.timezone), tuple(map(tuple, zones)))
