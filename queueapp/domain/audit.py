"""What the audit log records: the actions, and the difference between two states of a thing."""
from __future__ import annotations

import enum
from typing import Any

# Never written to the log, whatever a caller passes.
SECRET_FIELDS = frozenset({"password", "password_hash", "token", "token_hash", "logo"})


class AuditAction(str, enum.Enum):
    OFFICE_CREATED = "office.created"
    OFFICE_UPDATED = "office.updated"
    ZONE_CREATED = "zone.created"
    ZONE_UPDATED = "zone.updated"
    SERVICE_CREATED = "service.created"
    SERVICE_UPDATED = "service.updated"
    COUNTER_CREATED = "counter.created"
    COUNTER_UPDATED = "counter.updated"
    HOURS_SET = "hours.set"
    HOLIDAY_ADDED = "holiday.added"
    HOLIDAY_REMOVED = "holiday.removed"
    DEVICE_CREATED = "device.created"
    DEVICE_UPDATED = "device.updated"
    DEVICE_REMOVED = "device.removed"
    STAFF_CREATED = "staff.created"
    STAFF_UPDATED = "staff.updated"
    PASSWORD_RESET = "staff.password_reset"
    PASSWORD_CHANGED = "staff.password_changed"
    STAFF_DEACTIVATED = "staff.deactivated"
    STAFF_REACTIVATED = "staff.reactivated"
    LOGIN = "staff.login"
    LOGIN_FAILED = "staff.login_failed"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"
    # Personal data (UU 27/2022): retention purge, a citizen's export and erasure requests.
    PRIVACY_PURGED = "privacy.purged"
    PRIVACY_EXPORTED = "privacy.exported"
    PRIVACY_ERASED = "privacy.erased"


def _clean(value: Any) -> Any:
    """A JSON-friendly value: enums by value, dates and times as ISO text."""
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    return value


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    """{field: [before, after]} for every field that changed; a new thing (no `before`)
    gives {field: value}; secrets are left out."""
    after = {k: _clean(v) for k, v in (after or {}).items() if k not in SECRET_FIELDS}
    if before is None:
        return after
    before = {k: _clean(v) for k, v in before.items() if k not in SECRET_FIELDS}
    return {key: [before.get(key), after.get(key)] for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)}
