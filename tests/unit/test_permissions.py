"""One permission table: what each role may do, and where."""
import pytest

from queueapp.domain.errors import PermissionDenied, RoleNotAllowed
from queueapp.domain.permissions import (ROLE_PERMISSIONS, WHOLE, Actor, Permission, Role, can, may_grant,
                                         require, scope)

OWN, OTHER = 1, 2


def actor(role: Role, office_id: int | None = OWN, zone_id: int | None = None) -> Actor:
    return Actor(staff_id=7, office_id=office_id, role=role, zone_id=zone_id)


CLERK = {Permission.VIEW_OFFICE, Permission.SERVE, Permission.ISSUE_TICKET}
SUPERVISOR = CLERK | {Permission.MANAGE_HOLIDAYS, Permission.OPERATE}
EXPECTED = {
    Role.CLERK: CLERK,
    Role.SUPERVISOR: SUPERVISOR,
    Role.ADMIN: SUPERVISOR | {Permission.CONFIGURE, Permission.MANAGE_STAFF, Permission.VIEW_AUDIT},
    Role.OWNER: set(Permission),
}


def test_every_role_has_a_row_in_the_table():
    assert set(ROLE_PERMISSIONS) == set(Role)


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.ADMIN])
@pytest.mark.parametrize("permission", list(Permission))
def test_office_roles_act_in_their_own_office_only_and_by_the_table(role, permission):
    assert can(actor(role), permission, OWN) == (permission in EXPECTED[role])
    assert not can(actor(role), permission, OTHER)
    if permission in EXPECTED[role]:
        require(actor(role), permission, OWN)
        with pytest.raises(PermissionDenied) as raised:
            require(actor(role), permission, OTHER)
        assert not isinstance(raised.value, RoleNotAllowed) and raised.value.code == "forbidden"
    else:
        with pytest.raises(RoleNotAllowed):
            require(actor(role), permission, OWN)


@pytest.mark.parametrize("permission", list(Permission))
def test_the_owner_acts_in_every_office(permission):
    owner = actor(Role.OWNER, office_id=None)
    assert can(owner, permission, OWN) and can(owner, permission, OTHER)


def test_staff_of_one_zone_act_in_that_zone_only():
    agency_clerk = actor(Role.CLERK, zone_id=3)
    assert can(agency_clerk, Permission.SERVE, OWN, zone_id=3)
    assert not can(agency_clerk, Permission.SERVE, OWN, zone_id=4)
    assert can(agency_clerk, Permission.VIEW_OFFICE, OWN)          # office-wide things carry no zone
    assert can(actor(Role.CLERK), Permission.SERVE, OWN, zone_id=4)  # office-wide staff: every zone


def test_a_thing_of_no_zone_is_configured_by_the_whole_office_only():
    agency_admin = actor(Role.ADMIN, zone_id=3)
    assert can(agency_admin, Permission.CONFIGURE, OWN, scope(3))
    assert not can(agency_admin, Permission.CONFIGURE, OWN, scope(None))
    assert not can(agency_admin, Permission.CONFIGURE, OWN, WHOLE)
    assert can(actor(Role.ADMIN), Permission.CONFIGURE, OWN, WHOLE)
    assert can(actor(Role.OWNER, office_id=None), Permission.CONFIGURE, OWN, WHOLE)


def test_only_the_owner_creates_offices():
    assert can(actor(Role.OWNER, office_id=None), Permission.CREATE_OFFICE, None)
    for role in (Role.ADMIN, Role.SUPERVISOR, Role.CLERK):
        assert not can(actor(role), Permission.CREATE_OFFICE, None)


@pytest.mark.parametrize(("giver", "role", "allowed"), [
    (Role.OWNER, Role.OWNER, True), (Role.ADMIN, Role.ADMIN, True), (Role.ADMIN, Role.OWNER, False),
    (Role.SUPERVISOR, Role.CLERK, True), (Role.SUPERVISOR, Role.ADMIN, False)])
def test_no_one_gives_a_role_above_their_own(giver, role, allowed):
    assert may_grant(actor(giver), role, None) is allowed


def test_an_agency_admin_gives_roles_inside_its_zone_only():
    assert may_grant(actor(Role.ADMIN, zone_id=3), Role.CLERK, 3)
    assert not may_grant(actor(Role.ADMIN, zone_id=3), Role.CLERK, 4)
    assert not may_grant(actor(Role.ADMIN, zone_id=3), Role.CLERK, None)
