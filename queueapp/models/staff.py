"""Staff accounts, their log-in sessions and their API tokens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.permissions import Role
from .base import Base, UTCDateTime, enum_column
from .offices import Office


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "staff_role"))
    # None for a deployment-wide owner.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), nullable=True)
    # Set: the member works in this zone (agency) of the office only.
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # +1 on a password reset, a role change or deactivation: every session made before ends.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    office: Mapped[Office | None] = relationship()


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # What it is for ("kiosk printer script"), shown in the token list; never the token.
    name: Mapped[str] = mapped_column(String(100), default="")
    # After this instant the token is refused (401 token_expired).
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Updated at most every few minutes: a token's every request need not write.
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[StaffUser] = relationship()


class StaffSession(Base):
    """One log-in of one browser. Its session cookie names it; logging out deletes it, so a
    copy of the cookie stops working. Only the hash of the cookie's key is stored."""

    __tablename__ = "staff_sessions"
    __table_args__ = (Index("ix_staff_sessions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Refreshed at most every few minutes; a session idle for the session lifetime is over.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
