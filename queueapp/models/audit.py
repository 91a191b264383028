"""The audit log: who changed what, when, with the fields before and after."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class AuditEntry(Base):
    """One configuration change, log-in, failed log-in, token or role change. Written in
    the same transaction as the change; never holds a password, a token or a citizen's data."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_office_at", "office_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: deployment-wide (an owner created, a log-in of an owner).
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), nullable=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Who: a staff member, or None for the command line (`queueapp ...` on the server).
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    # The name as it was, so an entry still reads after the account is renamed.
    username: Mapped[str] = mapped_column(String(64), default="")
    # What happened: an AuditAction value ("service.updated", "staff.login_failed", ...).
    action: Mapped[str] = mapped_column(String(48))
    # What it happened to: "service:A", "counter:3", "staff:loket1", "office:demo".
    target: Mapped[str] = mapped_column(String(120), default="")
    # {field: [before, after]} for a change; {field: value} of a new thing.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The client's address for log-ins (as the proxy reports it).
    address: Mapped[str] = mapped_column(String(64), default="")
