"""Satisfaction survey responses (SKM): one per served ticket, without the respondent's identity."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.skm import COMMENT_MAX
from .base import Base, UTCDateTime


class SurveyResponse(Base):
    """The nine answers (1-4) of one citizen about one served ticket. The ticket's office,
    service, zone and business day are copied in so reports group without the ticket; no
    name, phone or NIK is ever stored here."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_office_day", "office_id", "business_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One response per ticket: the database refuses a second (ballot stuffing, double taps).
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), nullable=True)
    business_date: Mapped[date] = mapped_column(Date)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    u1: Mapped[int] = mapped_column(SmallInteger)
    u2: Mapped[int] = mapped_column(SmallInteger)
    u3: Mapped[int] = mapped_column(SmallInteger)
    u4: Mapped[int] = mapped_column(SmallInteger)
    u5: Mapped[int] = mapped_column(SmallInteger)
    u6: Mapped[int] = mapped_column(SmallInteger)
    u7: Mapped[int] = mapped_column(SmallInteger)
    u8: Mapped[int] = mapped_column(SmallInteger)
    u9: Mapped[int] = mapped_column(SmallInteger)
    age_group: Mapped[str | None] = mapped_column(String(16), nullable=True)
    sex: Mapped[str | None] = mapped_column(String(16), nullable=True)
    education: Mapped[str | None] = mapped_column(String(16), nullable=True)
    occupation: Mapped[str | None] = mapped_column(String(24), nullable=True)
    # Free text that may hold anything: shown to the office's supervisors only, never logged.
    comment: Mapped[str | None] = mapped_column(String(COMMENT_MAX), nullable=True)
    # The version of the questionnaire's texts answered (domain.skm.QUESTIONNAIRE_VERSION).
    version: Mapped[str] = mapped_column(String(16))

    def scores(self) -> dict[str, int]:
        return {str(n): getattr(self, f"u{n}") for n in range(1, 10)}
