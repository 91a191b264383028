"""Read side of the people pages and API: an office's staff (a zone's admin sees its zone
only), a member's API tokens (never their hash), and the audit log with its filters and
CSV export. Plain dicts, checked against the permission table."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .. import repository
from ..db import Database
from ..domain import errors
from ..domain.errors import N_
from ..domain.permissions import Actor, Permission, require, scope
from ..models import MAX_ROW_ID, ApiToken, AuditEntry, Office, StaffUser, Zone

AUDIT_LIMIT = 100
MAX_AUDIT_LIMIT = 1000
# The CSV export holds at most this many entries (newest first).
MAX_EXPORT = 50_000
CSV_COLUMNS = ("at", "username", "action", "target", "changes", "address")


def _member(user: StaffUser, zone: str | None, tzinfo: ZoneInfo | None) -> dict[str, Any]:
    last = user.last_login_at.astimezone(tzinfo).isoformat() if user.last_login_at and tzinfo else None
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role.value, "zone_id": user.zone_id, "zone": zone, "active": user.active,
            "last_login_at": last}


def _visible(actor: Actor, query: Select) -> Select:
    """A zone's member sees the staff of its zone only."""
    return query.where(StaffUser.zone_id == actor.zone_id) if actor.zone_id is not None else query


def staff_list(db: Database, actor: Actor, slug: str) -> list[dict[str, Any]]:
    """The office's staff accounts, active first, by username. Raises OfficeNotFound,
    PermissionDenied, RoleNotAllowed."""
    with db.read() as s:
        office = repository.office_by_slug(s, slug)
        require(actor, Permission.MANAGE_STAFF, office.id)
        rows = s.execute(_visible(actor, select(StaffUser, Zone.name)
                                  .outerjoin(Zone, Zone.id == StaffUser.zone_id)
                                  .where(StaffUser.office_id == office.id))
                         .order_by(StaffUser.active.desc(), StaffUser.username)).all()
        return [_member(user, zone, ZoneInfo(office.timezone)) for user, zone in rows]


def _managed(s: Session, actor: Actor, staff_id: int) -> StaffUser:
    user = s.get(StaffUser, staff_id) if 0 < staff_id <= MAX_ROW_ID else None
    if user is None:
        raise errors.StaffNotFound(staff=staff_id)
    require(actor, Permission.MANAGE_STAFF, user.office_id, scope(user.zone_id))
    return user


def staff_member(db: Database, actor: Actor, staff_id: int) -> dict[str, Any]:
    """One account (with `office_id`) and its tokens. Raises StaffNotFound, PermissionDenied."""
    with db.read() as s:
        user = _managed(s, actor, staff_id)
        zone = s.get(Zone, user.zone_id).name if user.zone_id else None
        tzinfo = ZoneInfo(user.office.timezone) if user.office else ZoneInfo("UTC")
        return {**_member(user, zone, tzinfo), "office_id": user.office_id, "tokens": _tokens(s, user, tzinfo)}


def _tokens(s: Session, user: StaffUser, tzinfo: ZoneInfo) -> list[dict[str, Any]]:
    rows = s.execute(select(ApiToken.id, ApiToken.name, ApiToken.created_at, ApiToken.expires_at,
                            ApiToken.last_used_at)
                     .where(ApiToken.user_id == user.id).order_by(ApiToken.created_at, ApiToken.id)).all()
    return [{"id": id_, "name": name, "created_at": created.astimezone(tzinfo).isoformat(),
             "expires_at": expires.astimezone(tzinfo).isoformat(),
             "last_used_at": used.astimezone(tzinfo).isoformat() if used else None}
            for id_, name, created, expires, used in rows]


def tokens(db: Database, actor: Actor, staff_id: int) -> list[dict[str, Any]]:
    """A member's API tokens: id, name, created_at, expires_at, last_used_at (to a few
    minutes); never the token or its hash."""
    return staff_member(db, actor, staff_id)["tokens"]


# --- The audit log ---

@dataclass(frozen=True)
class AuditFilter:
    """What the audit log shows: an action or its prefix ("staff." or "staff.login"), one
    username, days from/until (inclusive, the office's days), a text in the target."""

    action: str = ""
    user: str = ""
    since: date | None = None
    until: date | None = None
    q: str = ""
    limit: int = AUDIT_LIMIT

    @classmethod
    def parse(cls, args: dict[str, Any]) -> AuditFilter:
        """From query-string arguments. Raises InvalidInput."""
        def day(name: str) -> date | None:
            text = str(args.get(name) or "").strip()
            try:
                return date.fromisoformat(text) if text else None
            except ValueError:
                raise errors.InvalidInput(N_("%(field)s must be a date YYYY-MM-DD"), field=name) from None

        limit = str(args.get("limit") or AUDIT_LIMIT).strip()
        if not limit.isdigit() or not 1 <= int(limit) <= MAX_AUDIT_LIMIT:
            raise errors.InvalidInput(N_("%(field)s must be a whole number from %(minimum)s to %(maximum)s"),
                                      field="limit", minimum=1, maximum=MAX_AUDIT_LIMIT)
        return cls(action=str(args.get("action") or "").strip()[:48], user=str(args.get("user") or "").strip()[:64],
                   since=day("since"), until=day("until"), q=str(args.get("q") or "").strip()[:120],
                   limit=int(limit))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _audit_query(office: Office, actor: Actor, wanted: AuditFilter) -> Select:
    tzinfo = ZoneInfo(office.timezone)
    query = select(AuditEntry).where(AuditEntry.office_id == office.id)
    if actor.zone_id is not None:
        query = query.where(AuditEntry.zone_id == actor.zone_id)
    if wanted.action:
        query = query.where(AuditEntry.action.like(_like(wanted.action) + "%", escape="\\"))
    if wanted.user:
        query = query.where(AuditEntry.username == wanted.user.lower())
    if wanted.since:
        query = query.where(AuditEntry.at >= datetime.combine(wanted.since, time(), tzinfo))
    if wanted.until:
        query = query.where(AuditEntry.at < datetime.combine(wanted.until + timedelta(days=1), time(), tzinfo))
    if wanted.q:
        query = query.where(func.lower(AuditEntry.target).like("%" + _like(wanted.q.lower()) + "%", escape="\\"))
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def _entry(entry: AuditEntry, tzinfo: ZoneInfo) -> dict[str, Any]:
    return {"id": entry.id, "at": entry.at.astimezone(tzinfo).isoformat(), "username": entry.username,
            "action": entry.action, "target": entry.target, "changes": entry.changes or {},
            "address": entry.address, "zone_id": entry.zone_id}


def audit_entries(db: Database, actor: Actor, slug: str, wanted: AuditFilter = AuditFilter(),
                  *, limit: int | None = None) -> list[dict[str, Any]]:
    """The office's audit entries, newest first, times in the office's zone. Raises
    OfficeNotFound, PermissionDenied, RoleNotAllowed."""
    with db.read() as s:
        office = repository.office_by_slug(s, slug)
        require(actor, Permission.VIEW_AUDIT, office.id)
        rows = s.execute(_audit_query(office, actor, wanted).limit(limit or wanted.limit)).scalars()
        return [_entry(entry, ZoneInfo(office.timezone)) for entry in rows]


def _cell(value: str) -> str:
    """A text a spreadsheet never runs as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def audit_csv(db: Database, actor: Actor, slug: str, wanted: AuditFilter = AuditFilter()) -> str:
    """The filtered log as CSV (at, username, action, target, changes as JSON, address),
    newest first, up to MAX_EXPORT entries."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in audit_entries(db, actor, slug, wanted, limit=MAX_EXPORT):
        changes = json.dumps(entry["changes"], ensure_ascii=False, sort_keys=True)
        writer.writerow([entry["at"], _cell(entry["username"]), entry["action"], _cell(entry["target"]),
                         changes, entry["address"]])
    return out.getvalue()
