"""Read side of the configured devices as their own screens read them: a lobby display's
row (what it shows and how it speaks) and the services a kiosk of a zone offers."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from .. import repository
from ..db import Database
from ..domain.errors import DeviceNotFound, KioskNotFound
from ..models import Counter, Display, Kiosk, Service


@dataclass(frozen=True)
class DisplaySettings:
    """A configured display: the service codes and counter numbers it shows (empty: all),
    its voice languages in order, and how often each call is spoken."""

    name: str
    services: tuple[str, ...] = ()
    counters: tuple[int, ...] = ()
    languages: tuple[str, ...] = ("id",)
    repeat: int = 1
    calls: int = 4


def _zone_services(session, office_id: int, zone_id: int | None) -> tuple[str, ...]:
    if zone_id is None:
        return ()
    return tuple(session.execute(select(Service.prefix).where(
        Service.office_id == office_id, Service.zone_id == zone_id).order_by(Service.position)).scalars())


def display_settings(db: Database, office_slug: str, name: str) -> DisplaySettings:
    """The display named `name`: its own services, else those of its zone; a display of a
    zone shows only its zone's counters. Raises OfficeNotFound, DeviceNotFound."""
    with db.read() as session:
        office = repository.office_by_slug(session, office_slug)
        row = session.execute(select(Display).where(Display.office_id == office.id,
                                                    Display.name == name)).scalar_one_or_none()
        if row is None:
            raise DeviceNotFound(device=name)
        services = tuple(code for code in row.services.split(",") if code) or \
            _zone_services(session, office.id, row.zone_id)
        counters = () if row.zone_id is None else tuple(session.execute(select(Counter.number).where(
            Counter.office_id == office.id, Counter.zone_id == row.zone_id).order_by(Counter.number)).scalars())
        return DisplaySettings(row.name, services, counters, tuple(row.language.split(",")), row.repeat,
                               row.calls)


def kiosk_services(db: Database, office_slug: str, name: str | None) -> tuple[str, ...]:
    """The service codes a named kiosk of a zone offers (its zone's); () for every service.
    Raises OfficeNotFound, KioskNotFound."""
    if not name:
        return ()
    with db.read() as session:
        office = repository.office_by_slug(session, office_slug)
        zone_id = session.execute(select(Kiosk.zone_id).where(Kiosk.office_id == office.id,
                                                              Kiosk.name == name)).first()
        if zone_id is None:
            raise KioskNotFound(kiosk=name)
        return _zone_services(session, office.id, zone_id[0])
