"""Kiosk use cases: set up a kiosk of an office, its paper width and its printer."""
from __future__ import annotations

from sqlalchemy import select

from .. import repository
from ..db import Database
from ..domain import errors
from ..domain.kiosk import check_paper
from ..models import Kiosk
from ..printing import PrinterSpec
from ..repository import KioskSettings


def configure_kiosk(db: Database, office_slug: str, name: str, *, paper: int, printer: str) -> KioskSettings:
    """Create or change a kiosk of an office. Raises OfficeNotFound, InvalidInput."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise errors.InvalidInput("kiosk name must have 1 to 64 characters")
    width = check_paper(paper)
    try:
        spec = PrinterSpec.parse(printer)
    except ValueError as exc:
        raise errors.InvalidInput(str(exc)) from None
    with db.write() as uow:
        office = repository.office_by_slug(uow.session, office_slug)
        row = uow.session.execute(select(Kiosk).where(Kiosk.office_id == office.id,
                                                      Kiosk.name == name)).scalar_one_or_none()
        if row is None:
            row = Kiosk(office_id=office.id, name=name)
            uow.session.add(row)
        row.paper, row.printer = width, str(spec)
    return KioskSettings(name, width, spec)
