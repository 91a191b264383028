"""Writing the audit log, in the transaction of the change it records; and announcing a
change screens show (one `office.configured` event, so every screen takes a fresh snapshot)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db import UnitOfWork
from ..domain.audit import AuditAction, diff
from ..domain.events import EventType
from ..domain.permissions import Actor
from ..models import AuditEntry, Office

# Who the log names when a change comes from the command line on the server.
COMMAND_LINE = "(command line)"


def record(uow: UnitOfWork, actor: Actor | None, action: AuditAction, at: datetime, *,
           office_id: int | None, zone_id: int | None = None, target: str = "",
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           username: str | None = None, address: str = "") -> dict[str, Any]:
    """Add one entry; returns the changes it holds ({} when nothing changed: then no entry)."""
    changes = diff(before, after)
    if before is not None and not changes:
        return changes
    uow.session.add(AuditEntry(
        office_id=office_id, zone_id=zone_id, at=at, staff_id=actor.staff_id if actor else None,
        username=username if username is not None else (actor.username if actor else COMMAND_LINE),
        action=AuditAction(action).value, target=target[:120], changes=changes, address=address[:64]))
    return changes


def configured(uow: UnitOfWork, office: Office, actor: Actor | None, action: AuditAction, at: datetime, *,
               target: str, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
               zone_id: int | None = None) -> dict[str, Any]:
    """A configuration change screens show: its audit entry, and one `office.configured`
    event (published after commit) when anything changed. `office` must be locked."""
    changes = record(uow, actor, action, at, office_id=office.id, zone_id=zone_id, target=target,
                     before=before, after=after)
    if changes or before is None:
        uow.record(office, EventType.OFFICE_CONFIGURED, at, staff_id=actor.staff_id if actor else None,
                   data={"what": action.value.split(".")[0], "target": target})
    return changes
