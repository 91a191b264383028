"""Read side of the satisfaction survey (SKM): the index of an office (or one zone or service)
over a period, counted in SQL (per element the sum and number of its answers) and computed
by domain.skm (exact weights of 1/9), beside the served tickets the sample is drawn from."""
from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import errors, skm
from ..domain.states import TicketStatus
from .. import repository
from ..models import Service, SurveyResponse, Ticket

_SCORES = [getattr(SurveyResponse, f"u{key}") for key in skm.KEYS]


def rounded(value: Fraction | None, places: int) -> float | None:
    """A float of `value` rounded half up to `places` decimals (None stays None)."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def category(letter: skm.Category | None) -> dict | None:
    """{"letter": "B", "label": "baik"}: the regulation's own words (pages translate the letter)."""
    return None if letter is None else {"letter": letter.value, "label": skm.CATEGORY_LABELS_ID[letter]}


def service_ids(session: Session, office_id: int, *, service_code: str | None = None,
                zone_id: int | None = None) -> tuple[int, ...] | None:
    """The services a result covers: one service (by its letter), a zone's, or None for the
    whole office. Raises ServiceNotFound for a letter the office does not have."""
    if service_code:
        found = session.execute(select(Service.id).where(
            Service.office_id == office_id, Service.prefix == str(service_code).strip().upper())).scalar()
        if found is None:
            raise errors.ServiceNotFound(service=service_code)
        return (found,)
    if zone_id is not None:
        return tuple(session.execute(select(Service.id).where(
            Service.office_id == office_id, Service.zone_id == zone_id)).scalars()) or (-1,)
    return None


def _responses(office_id: int, start: date, end: date, services: Iterable[int] | None) -> list:
    where = [SurveyResponse.office_id == office_id, SurveyResponse.business_date >= start,
             SurveyResponse.business_date <= end]
    if services is not None:
        where.append(SurveyResponse.service_id.in_(tuple(services)))
    return where


def index_of(session: Session, office_id: int, start: date, end: date,
             services: Iterable[int] | None = None) -> skm.Index:
    """The domain's Index from one aggregate statement over the period's responses."""
    row = session.execute(select(func.count(), *[func.sum(col) for col in _SCORES],
                                 *[func.count(col) for col in _SCORES])
                          .where(*_responses(office_id, start, end, services))).one()
    count = len(skm.KEYS)
    sums = {key: int(row[1 + i] or 0) for i, key in enumerate(skm.KEYS)}
    counts = {key: int(row[1 + count + i] or 0) for i, key in enumerate(skm.KEYS)}
    return skm.index(int(row[0]), sums, counts)


def served(session: Session, office_id: int, start: date, end: date, services: Iterable[int] | None = None) -> int:
    """The population: tickets served to the end (finished) in the period."""
    where = [Ticket.office_id == office_id, Ticket.business_date >= start, Ticket.business_date <= end,
             Ticket.status == TicketStatus.DONE]
    if services is not None:
        where.append(Ticket.service_id.in_(tuple(services)))
    return int(session.execute(select(func.count()).where(*where)).scalar_one())


def summary_from(result: skm.Index, population: int) -> dict:
    """The plain figures of an index and its population (see skm_summary)."""
    return {
        "respondents": result.respondents,
        "nrr": {key: rounded(value, 2) for key, value in result.nrr.items()},
        "ikm": rounded(result.ikm, 3),
        "ikm_converted": rounded(result.converted, 2),
        "category": category(result.category),
        "served": population,
        "sample_needed": skm.sample_size(population),
        "lowest": skm.lowest(result.nrr),
    }


def summary_of(session: Session, office_id: int, start: date, end: date,
               services: Iterable[int] | None = None) -> dict:
    services = None if services is None else tuple(services)
    return summary_from(index_of(session, office_id, start, end, services),
                        served(session, office_id, start, end, services))


def skm_summary(session: Session, office_id: int, start: date, end: date, service_code: str | None = None) -> dict:
    """The SKM of an office (or one of its services, by letter) for business days `start`
    to `end` (both included): respondents, NRR per element ("1".."9", two decimals), IKM
    (1-4, three decimals), converted value (25-100, two decimals), category {"letter",
    "label"} (None for all three without a response), the served tickets (population), the
    Krejcie-Morgan sample for them, and the lowest elements (follow-up plan).
    Raises ServiceNotFound for an unknown service letter."""
    return summary_of(session, office_id, start, end, service_ids(session, office_id, service_code=service_code))


def survey_state(session: Session, token: str, *, now: datetime, days: int = skm.DEFAULT_SURVEY_DAYS) -> str:
    """Where the survey of a ticket stands: "open", "answered", "not_finished" or "closed".
    Raises TicketNotFound."""
    ticket = repository.ticket_by_token(session, token)
    if session.execute(select(SurveyResponse.id).where(SurveyResponse.ticket_id == ticket.id)).first():
        return "answered"
    if ticket.status != TicketStatus.DONE or ticket.finished_at is None:
        return "not_finished"
    return "open" if skm.survey_open(ticket.finished_at, now, days) else "closed"


def public_summary(db, office_slug: str, start: date, end: date, service_code: str | None = None) -> dict:
    """The published SKM of an office (no comments, no profile): skm_summary with the office
    and period named. Raises OfficeNotFound, ServiceNotFound."""
    with db.read() as session:
        office = repository.office_by_slug(session, office_slug)
        result = skm_summary(session, office.id, start, end, service_code)
    return {"office": office_slug, "from": start.isoformat(), "to": end.isoformat(),
            "service": service_code.strip().upper() if service_code else None, **result}
