"""Read side of the published service standards: each active service's six components,
the office's pledge (maklumat pelayanan) and where to complain, for the kiosk, the booking
and status pages, the lobby display and the public performance page. Public: no personal
data, nothing a citizen may not read on the office's wall."""
from __future__ import annotations

from sqlalchemy.orm import Session

from .. import repository
from ..db import Database
from ..domain import errors, standards
from ..models import Office


def _office(office: Office, links: bool = True) -> dict:
    lapor = {"name": standards.LAPOR_NAME, "site": standards.LAPOR_URL.removeprefix("https://")}
    return {"slug": office.slug, "name": office.name, "contact": office.contact or "",
            "complaint_channel": (office.complaint_channel or "").strip(),
            "pledge": standards.pledge(office.pledge), "pledge_on_display": bool(office.pledge_on_display),
            "lapor": {**lapor, "url": standards.LAPOR_URL} if links else lapor}


def _standards(office: Office, code: str | None = None) -> list[dict]:
    return [standards.standard(
        s.prefix, s.name_id, s.name_en, requirements=s.requirements, procedure=s.procedure,
        completion_time=s.completion_time, fee=s.fee, product=s.product, complaints=s.complaints,
        office_channel=office.complaint_channel).as_dict()
        for s in office.services if s.active and (code is None or s.prefix == code)]


def office_standards(db: Database, office_slug: str, *, links: bool = True) -> dict:
    """{"office": {name, complaint_channel, pledge, pledge_on_display, lapor: {name, site,
    url}}, "services": [each active service's standard, in kiosk order]}. links=False: no
    URL (a kiosk opens no other site). Raises OfficeNotFound."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        return {"office": _office(office, links), "services": _standards(office)}


def service_standard(db: Database, office_slug: str, code: str) -> dict | None:
    """{"office": ..., "service": one service's standard or None (unknown or inactive)};
    None when the office is unknown."""
    with db.read() as s:
        try:
            office = repository.office_by_slug(s, office_slug)
        except errors.OfficeNotFound:
            return None
        found = _standards(office, code)
        return {"office": _office(office), "service": found[0] if found else None}
