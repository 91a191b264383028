"""The satisfaction survey (SKM) use case: a citizen answers for the ticket they were served on.

The ticket's token is the only key: no name, phone or NIK is asked; one response per ticket
(a unique constraint) stops ballot stuffing. Comments are free text and never logged.
Answering changes nothing on any screen, so it records no queue event."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import repository
from ..db import Database
from ..domain import skm
from ..domain.states import TicketStatus
from ..models import Service, SurveyResponse


@dataclass(frozen=True)
class SurveyAnswered:
    response_id: int
    ticket_id: int
    office_id: int


def answer_survey(db: Database, token: str, answers, profile=None, comment=None, *, now: datetime,
                  days: int = skm.DEFAULT_SURVEY_DAYS) -> SurveyAnswered:
    """Store the nine answers (1-4), the optional profile and comment for the ticket of
    `token`. The ticket must have been served to the end (TicketNotFinished) no more than
    `days` days ago (SurveyClosed), and not answered yet (AlreadyAnswered, also when two
    answers race). Raises TicketNotFound, MissingAnswer / InvalidAnswer naming the element,
    InvalidInput for a bad profile or a too long comment."""
    scores = skm.validate_answers(answers)
    person = skm.validate_profile(profile)
    text = skm.clean_comment(comment)
    with db.write() as uow:
        session = uow.session
        ticket = repository.ticket_by_token(session, token)
        if ticket.status != TicketStatus.DONE or ticket.finished_at is None:
            raise skm.TicketNotFinished(status=ticket.status.value)
        if not skm.survey_open(ticket.finished_at, now, days):
            raise skm.SurveyClosed(days=days)
        if session.execute(select(SurveyResponse.id).where(SurveyResponse.ticket_id == ticket.id)).first():
            raise skm.AlreadyAnswered()
        zone_id = session.execute(select(Service.zone_id).where(Service.id == ticket.service_id)).scalar_one()
        response = SurveyResponse(ticket_id=ticket.id, office_id=ticket.office_id, service_id=ticket.service_id,
                                  zone_id=zone_id, business_date=ticket.business_date, answered_at=now,
                                  version=skm.QUESTIONNAIRE_VERSION, comment=text, **person,
                                  **{f"u{key}": score for key, score in scores.items()})
        session.add(response)
        try:
            # The unique ticket_id decides a race: the second insert waits for the first
            # transaction (PostgreSQL) or the write lock (SQLite), then fails here.
            session.flush()
        except IntegrityError:
            raise skm.AlreadyAnswered() from None
        return SurveyAnswered(response.id, ticket.id, ticket.office_id)

