"""One permission table: what each role may do, and where."""
import pytest

from queueapp.domain.errors import PermissionDenied, RoleNotAllowed
from queueapp.domain.permissions import ROLE_PERMISSIONS, Actor, Permission, Role, can, require

OWN, OTHER = 1, 2


def actor(role: Role, office_id: int | None = OWN, zone_id: int | None = None) -> Actor:
    return Actor(staff_id=7, office_id=office_id, role=role, zone_id=zone_id)


EXPECTED = {
    Role.CLERK: {Permission.VIEW_OFFICE, Permission.SERVE, Permission.ISSUE_TICKET},
    Role.SUPERVISOR: {Permission.VIEW_OFFICE, Permission.SERVE, Permission.ISSUE_TICKET,
                      Permission.MANAGE_HOLIDAYS},
    Role.ADMIN: {Permission.VIEW_OFFICE, Permission.SERVE, Permission.ISSUE_TICKET, Permission.MANAGE_HOLIDAYS},
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
