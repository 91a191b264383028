"""Read side of the staff SKM report (supervisors and admins of the office; a zone's member
sees its zone): the regulation's layout (per element NRR, NRR x 1/9 and category; the index,
converted value and category; respondents against the Krejcie-Morgan sample of the served
tickets; the respondents' profile; the follow-up elements) and the comments, paged."""
from __future__ import annotations

from sqlalchemy import func, select

from .. import repository
from ..db import Database
from ..domain import errors, skm
from ..domain.periods import ReportPeriod
from ..domain.permissions import Actor, Permission
from ..models import Service, SurveyResponse, Zone
from . import reports
from .skm import category, index_of, rounded, served, summary_from

COMMENTS_PER_PAGE = 50


def _zone_ids(session, office_id: int, actor: Actor, zone: str | int | None) -> int | None:
    if zone in (None, ""):
        return None
    try:
        zone_id = int(zone)
    except (TypeError, ValueError):
        raise errors.ZoneNotFound(zone=zone) from None
    found = session.execute(select(Zone.id).where(Zone.id == zone_id, Zone.office_id == office_id)).scalar()
    if found is None:
        raise errors.ZoneNotFound(zone=zone)
    if actor.zone_id is not None and actor.zone_id != found:
        raise errors.OutsideZone("outside your zone", permission=Permission.OPERATE.value)
    return found


def _where(office_id: int, period: ReportPeriod, service_ids: tuple[int, ...]) -> list:
    return [SurveyResponse.office_id == office_id, SurveyResponse.business_date >= period.first,
            SurveyResponse.business_date <= period.last, SurveyResponse.service_id.in_(service_ids or (-1,))]


def _profile(session, where: list) -> dict[str, dict[str, int]]:
    """Per profile field, the respondents per choice ("" for those who did not say)."""
    counts = {}
    for field in skm.PROFILE:
        column = getattr(SurveyResponse, field)
        rows = session.execute(select(column, func.count()).where(*where).group_by(column)).all()
        found = {value or "": count for value, count in rows}
        counts[field] = {choice: found.get(choice, 0) for choice in (*skm.PROFILE[field], "")}
    return counts


def comments(session, where: list, page: int, per_page: int | None = None) -> tuple[int, list[dict]]:
    """(how many, one page of them newest first): the day, service and text. Page 0: all."""
    per_page = per_page or COMMENTS_PER_PAGE
    written = [*where, SurveyResponse.comment.is_not(None)]
    total = session.execute(select(func.count()).select_from(SurveyResponse).where(*written)).scalar_one()
    stmt = (select(SurveyResponse.business_date, Service.prefix, SurveyResponse.comment)
            .join(Service, Service.id == SurveyResponse.service_id).where(*written)
            .order_by(SurveyResponse.answered_at.desc(), SurveyResponse.id.desc()))
    if page:
        stmt = stmt.limit(per_page).offset((page - 1) * per_page)
    return total, [{"day": day.isoformat(), "service": prefix, "comment": text}
                   for day, prefix, text in session.execute(stmt)]


def report(db: Database, actor: Actor, office_slug: str, period: ReportPeriod, *, zone: str | int | None = None,
           service: str | None = None, page: int = 1) -> dict:
    """The SKM report of an office (or one zone, or one service) for a period, with one page
    of comments (page 0: every comment, for the downloads). Raises OfficeNotFound,
    PermissionDenied (a clerk, another office), ZoneNotFound, ServiceNotFound, OutsideZone."""
    with db.read() as session:
        scope = reports.scope(session, actor, office_slug, period, service)
        zone_id = _zone_ids(session, scope.office_id, actor, zone)
        service_ids = scope.service_ids
        if zone_id is not None:
            in_zone = set(session.execute(select(Service.id).where(Service.zone_id == zone_id)).scalars())
            service_ids = tuple(sid for sid in service_ids if sid in in_zone)
        result = index_of(session, scope.office_id, period.first, period.last, service_ids or (-1,))
        population = served(session, scope.office_id, period.first, period.last, service_ids or (-1,))
        where = _where(scope.office_id, period, service_ids)
        total, page_of_comments = comments(session, where, max(page, 0))
        zones = [{"id": row.id, "name": row.name} for row in session.execute(
            select(Zone.id, Zone.name).where(Zone.office_id == scope.office_id).order_by(Zone.position, Zone.name))
            if actor.zone_id is None or actor.zone_id == row.id]
        services = [{"code": row.prefix, "name": row.name_id, "name_en": row.name_en} for row in session.execute(
            select(Service.prefix, Service.name_id, Service.name_en).where(Service.id.in_(scope.service_ids or (-1,)))
            .order_by(Service.position, Service.prefix))]
        zone_name = next((z["name"] for z in zones if z["id"] == zone_id), None)
        profile = _profile(session, where)
    elements = [{"key": key, "name": skm.ELEMENTS[key], "nrr": rounded(result.nrr[key], 2),
                 "weighted": rounded(result.weighted(key), 3),
                 "category": category(None if result.nrr[key] is None else skm.element_category(result.nrr[key]))}
                for key in skm.KEYS]
    return {
        "office": {"slug": scope.slug, "name": scope.name, "address": scope.address, "contact": scope.contact,
                   "timezone": scope.timezone},
        "period": period.as_dict(), "service": scope.service, "zone": zone_id, "zone_name": zone_name,
        **summary_from(result, population), "elements": elements, "profile": profile,
        "comments": page_of_comments, "comment_count": total, "page": max(page, 0),
        "pages": max(1, -(-total // COMMENTS_PER_PAGE)), "zones": zones, "services": services,
    }


def office_timezone(db: Database, office_slug: str) -> str:
    with db.read() as session:
        return repository.office_by_slug(session, office_slug).timezone
