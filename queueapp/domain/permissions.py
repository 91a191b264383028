"""Who may do what: staff roles, permissions, and one table between them (data, like
TRANSITIONS). Every use case asks `require` before it acts."""
from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import PermissionDenied, RoleNotAllowed


class Role(str, enum.Enum):
    # Deployment-wide (e.g. the kabupaten's Diskominfo): every office.
    OWNER = "owner"
    # One office (or one zone of it): its configuration and staff.
    ADMIN = "admin"
    # One office or zone: operations, not configuration.
    SUPERVISOR = "supervisor"
    # Works the counters of the office or zone.
    CLERK = "clerk"


class Permission(str, enum.Enum):
    VIEW_OFFICE = "view_office"          # staff room, counter list, waiting lines, holidays
    SERVE = "serve"                      # call, recall, start, finish, no-show, hold, transfer,
                                         # cancel, reprint, open/pause/close a counter
    ISSUE_TICKET = "issue_ticket"        # take a number on a citizen's behalf
    MANAGE_HOLIDAYS = "manage_holidays"  # add and remove closed days


_CLERK = frozenset({Permission.VIEW_OFFICE, Permission.SERVE, Permission.ISSUE_TICKET})
_SUPERVISOR = _CLERK | {Permission.MANAGE_HOLIDAYS}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: _CLERK,
    Role.SUPERVISOR: _SUPERVISOR,
    Role.ADMIN: _SUPERVISOR,
    Role.OWNER: frozenset(Permission),
}
# Roles whose holders are not bound to one office.
DEPLOYMENT_WIDE = frozenset({Role.OWNER})


@dataclass(frozen=True)
class Actor:
    """The staff member performing an action. `office_id` is None for a deployment-wide
    role; `zone_id` set limits the member to one zone (agency) of the office."""

    staff_id: int
    office_id: int | None
    role: Role
    zone_id: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "role", Role(self.role))


def can(actor: Actor, permission: Permission, office_id: int, zone_id: int | None = None) -> bool:
    """Whether `actor` may use `permission` in this office (and zone, when the thing acted
    on belongs to one)."""
    if permission not in ROLE_PERMISSIONS[actor.role]:
        return False
    if actor.role in DEPLOYMENT_WIDE:
        return True
    if actor.office_id != office_id:
        return False
    return actor.zone_id is None or zone_id is None or actor.zone_id == zone_id


def require(actor: Actor, permission: Permission, office_id: int, zone_id: int | None = None) -> None:
    """RoleNotAllowed unless the actor's role holds `permission`; PermissionDenied
    outside its office or zone."""
    if permission not in ROLE_PERMISSIONS[actor.role]:
        raise RoleNotAllowed("your role may not do this", permission=permission.value)
    if not can(actor, permission, office_id, zone_id):
        raise PermissionDenied("outside your office", permission=permission.value)
