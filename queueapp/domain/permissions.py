"""Who may do what: staff roles, permissions, and one table between them (data, like
TRANSITIONS). Every use case asks `require` before it acts."""
from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import OutsideZone, PermissionDenied, RoleNotAllowed


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
    OPERATE = "operate"                  # open/pause/close any counter, the dashboard, reports
    CONFIGURE = "configure"              # the office's services, counters, hours, devices
    MANAGE_STAFF = "manage_staff"        # accounts, roles, passwords, API tokens
    VIEW_AUDIT = "view_audit"            # the audit log and its export
    CREATE_OFFICE = "create_office"      # new offices (deployment-wide)


_CLERK = frozenset({Permission.VIEW_OFFICE, Permission.SERVE, Permission.ISSUE_TICKET})
_SUPERVISOR = _CLERK | {Permission.MANAGE_HOLIDAYS, Permission.OPERATE}
_ADMIN = _SUPERVISOR | {Permission.CONFIGURE, Permission.MANAGE_STAFF, Permission.VIEW_AUDIT}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: _CLERK,
    Role.SUPERVISOR: _SUPERVISOR,
    Role.ADMIN: _ADMIN,
    Role.OWNER: frozenset(Permission),
}
# Roles whose holders are not bound to one office.
DEPLOYMENT_WIDE = frozenset({Role.OWNER})
# Rank of each role: a member may give a role only up to its own (an admin never makes an owner).
RANK = {Role.CLERK: 1, Role.SUPERVISOR: 2, Role.ADMIN: 3, Role.OWNER: 4}
# Anything acting on the office as a whole (not one zone of it): pass as `zone_id`.
WHOLE = "whole office"


@dataclass(frozen=True)
class Actor:
    """The staff member performing an action. `office_id` is None for a deployment-wide
    role; `zone_id` set limits the member to one zone (agency) of the office."""

    staff_id: int
    office_id: int | None
    role: Role
    zone_id: int | None = None
    # Shown in the audit log.
    username: str = ""

    def __post_init__(self):
        object.__setattr__(self, "role", Role(self.role))


def can(actor: Actor, permission: Permission, office_id: int | None,
        zone_id: int | str | None = None) -> bool:
    """Whether `actor` may use `permission` in this office, on a thing in zone `zone_id`
    (None: a thing of no zone, which every member of the office may see; WHOLE: the
    office as a whole, beyond any one zone's member). `office_id` None: deployment-wide."""
    if permission not in ROLE_PERMISSIONS[actor.role]:
        return False
    if actor.role in DEPLOYMENT_WIDE:
        return True
    if office_id is None or actor.office_id != office_id:
        return False
    return actor.zone_id is None or zone_id is None or actor.zone_id == zone_id


def require(actor: Actor, permission: Permission, office_id: int | None,
            zone_id: int | str | None = None) -> None:
    """RoleNotAllowed unless the actor's role holds `permission`; OutsideZone in its office
    but beyond its zone; PermissionDenied outside its office."""
    if permission not in ROLE_PERMISSIONS[actor.role]:
        raise RoleNotAllowed("your role may not do this", permission=permission.value)
    if not can(actor, permission, office_id, zone_id):
        if actor.role not in DEPLOYMENT_WIDE and office_id is not None and actor.office_id == office_id:
            raise OutsideZone("outside your zone", permission=permission.value)
        raise PermissionDenied("outside your office", permission=permission.value)


def may_grant(actor: Actor, role: Role, zone_id: int | None) -> bool:
    """Whether `actor` may give a staff account `role` (in `zone_id`): never above its own
    role, and a zone's admin only inside its zone."""
    if RANK[Role(role)] > RANK[actor.role]:
        return False
    return actor.zone_id is None or zone_id == actor.zone_id


def scope(zone_id: int | None) -> int | str:
    """The zone a configuration change acts on: a thing of no zone belongs to the whole
    office, so only a member of the whole office may change it."""
    return WHOLE if zone_id is None else zone_id
