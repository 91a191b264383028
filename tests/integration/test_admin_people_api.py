"""Staff accounts, API tokens and the audit log through the JSON API, as each role of each
office meets them."""
import csv
import io
import json

import pytest

from queueapp.services import staff, staff_login

from .admin_people_setup import (  # noqa: F401 - fixtures
    db, people, people_template, NOW, PASSWORD, audit_count, audit_rows, log_in)



def patch(client, people, who, username, body):
    return client.patch(f"/api/v1/staff/{people.ids[username]}", json=body, headers=people.headers(who))


# --- Every endpoint x role x office ---

def _new_token_id(people):
    staff.create_token(people.db, "loket2", now=NOW, name="printer")
    with people.db.read() as s:
        from sqlalchemy import select

        from queueapp.models import ApiToken
        return s.execute(select(ApiToken.id).where(ApiToken.user_id == people.ids["loket2"])).scalar_one()


ENDPOINTS = {
    "list staff": lambda c, p, h: c.get("/api/v1/offices/demo/staff", headers=h),
    "create staff": lambda c, p, h: c.post("/api/v1/offices/demo/staff", headers=h, json={
        "username": "loket9", "password": "teh-manis-hangat", "role": "clerk"}),
    "change staff": lambda c, p, h: c.patch(f"/api/v1/staff/{p.ids['loket2']}", headers=h,
                                            json={"display_name": "Petugas Dua"}),
    "list tokens": lambda c, p, h: c.get(f"/api/v1/staff/{p.ids['loket2']}/tokens", headers=h),
    "create token": lambda c, p, h: c.post(f"/api/v1/staff/{p.ids['loket2']}/tokens", headers=h,
                                           json={"name": "printer"}),
    "revoke token": lambda c, p, h: c.delete(f"/api/v1/tokens/{_new_token_id(p)}", headers=h),
    "audit log": lambda c, p, h: c.get("/api/v1/offices/demo/audit", headers=h),
    "audit csv": lambda c, p, h: c.get("/api/v1/offices/demo/audit.csv", headers=h),
}
ALLOWED = {"list staff": 200, "create staff": 201, "change staff": 200, "list tokens": 200, "create token": 201,
           "revoke token": 204, "audit log": 200, "audit csv": 200}
# Who asks about the demo office: the owner and its admin may; others are refused.
CALLERS = {"pemilik": None, "admin": None, "admin-lain": 403, "supervisor": 403, "loket1": 403, None: 401}


@pytest.mark.parametrize("caller", list(CALLERS), ids=lambda c: c or "anonymous")
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_endpoint_serves_the_owner_and_the_offices_admin_and_refuses_the_rest(
        client, people, endpoint, caller):
    response = ENDPOINTS[endpoint](client, people, people.headers(caller))
    expected = CALLERS[caller] or ALLOWED[endpoint]
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected >= 400:
        assert response.get_json()["error"]["code"] == {401: "unauthorized", 403: "forbidden"}[expected]


def test_the_admin_of_the_other_office_manages_its_own_staff_only(client, people):
    own = client.get("/api/v1/offices/lain/staff", headers=people.headers("admin-lain")).get_json()
    assert [m["username"] for m in own] == ["admin-lain", "petugas-lain"]
    assert patch(client, people, "admin-lain", "petugas-lain", {"display_name": "Baru"}).status_code == 200
    assert patch(client, people, "admin-lain", "loket1", {"display_name": "Baru"}).status_code == 403


# --- Zones and ranks ---

def test_an_agency_admin_sees_and_manages_the_staff_of_its_zone_only(client, people):
    agency = people.headers("admin-dukcapil")
    listed = client.get("/api/v1/offices/demo/staff", headers=agency).get_json()
    assert {m["username"] for m in listed} == {"admin-dukcapil", "petugas-dukcapil"}
    assert all(m["zone"] == "Dukcapil" for m in listed)
    made = client.post("/api/v1/offices/demo/staff", headers=agency, json={
        "username": "loket-dukcapil", "password": "teh-manis-hangat", "role": "clerk", "zone_id": people.zone_id})
    assert made.status_code == 201 and made.get_json()["zone"] == "Dukcapil"
    for zone_id in (None, people.other_zone_id):
        refused = client.post("/api/v1/offices/demo/staff", headers=agency, json={
            "username": "loket-x", "password": "teh-manis-hangat", "role": "clerk", "zone_id": zone_id})
        assert refused.status_code == 403
    assert patch(client, people, "admin-dukcapil", "petugas-dukcapil", {"role": "supervisor"}).status_code == 200
    assert patch(client, people, "admin-dukcapil", "loket1", {"display_name": "x"}).status_code == 403
    assert patch(client, people, "admin-dukcapil", "petugas-dukcapil",
                 {"zone_id": people.other_zone_id}).status_code == 403


def test_no_one_grants_a_role_above_their_own_nor_touches_an_owner(client, people):
    to_owner = patch(client, people, "admin", "loket2", {"role": "owner"})
    assert to_owner.status_code == 422
    new_owner = client.post("/api/v1/offices/demo/staff", headers=people.headers("admin"), json={
        "username": "bos", "password": "teh-manis-hangat", "role": "owner"})
    assert new_owner.status_code == 422
    assert patch(client, people, "admin", "pemilik", {"display_name": "x"}).status_code == 403
    assert patch(client, people, "admin", "pemilik", {"password": "teh-manis-hangat"}).status_code == 403
    # Up to its own rank is allowed: an admin makes a clerk a supervisor or an admin.
    assert patch(client, people, "admin", "loket2", {"role": "admin"}).get_json()["role"] == "admin"
    with pytest.raises(Exception) as refused:
        staff.create_user(people.db, "x-admin", "teh-manis-hangat", office_slug="demo", role="admin",
                          actor=staff.member_by_id(people.db, people.ids["supervisor"]).actor())
    assert refused.value.code == "forbidden"


def test_no_one_deactivates_demotes_or_moves_themselves(client, people):
    for change in ({"active": False}, {"role": "clerk"}, {"zone_id": people.zone_id}):
        response = patch(client, people, "admin", "admin", change)
        assert response.status_code == 422, change
    assert client.get("/api/v1/offices/demo/staff", headers=people.headers("admin")).status_code == 200
    assert patch(client, people, "admin", "admin", {"display_name": "Admin Baru"}).status_code == 200


# --- Bad input: clear errors, nothing written ---

def test_a_taken_username_is_409_and_bad_input_is_422_with_nothing_written(client, people):
    admin = people.headers("admin")
    before = (audit_count(people.db), len(client.get("/api/v1/offices/demo/staff", headers=admin).get_json()))
    taken = client.post("/api/v1/offices/demo/staff", headers=admin, json={
        "username": "Loket1", "password": "teh-manis-hangat", "role": "clerk"})
    assert taken.status_code == 409 and taken.get_json()["error"]["code"] == "already_exists"
    assert "loket1" in taken.get_json()["error"]["message"]
    for body in ({"username": "baru", "password": "pendek", "role": "clerk"},
                 {"username": "b", "password": "teh-manis-hangat", "role": "clerk"},
                 {"username": "baru", "password": "teh-manis-hangat", "role": "raja"},
                 {"username": "baru", "password": "teh-manis-hangat", "role": "clerk", "zone_id": "satu"},
                 {"username": "baru", "password": "teh-manis-hangat", "role": "clerk", "hobby": "x"}):
        response = client.post("/api/v1/offices/demo/staff", headers=admin, json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["code"] == "invalid_input"
    zone_of_other_office = client.post("/api/v1/offices/demo/staff", headers=admin, json={
        "username": "baru", "password": "teh-manis-hangat", "role": "clerk", "zone_id": 10**6})
    assert zone_of_other_office.status_code == 404
    half = patch(client, people, "admin", "loket2", {"display_name": "Baru", "password": "123"})
    assert half.status_code == 422
    after = (audit_count(people.db), len(client.get("/api/v1/offices/demo/staff", headers=admin).get_json()))
    assert after == before
    assert staff.member_by_id(people.db, people.ids["loket2"]).display_name == "Petugas Loket 2"


def test_the_password_is_never_echoed_and_errors_speak_the_callers_language(client, people):
    made = client.post("/api/v1/offices/demo/staff", headers=people.headers("admin"), json={
        "username": "baru", "password": "sangat-rahasia", "role": "clerk", "display_name": "Petugas Baru"})
    assert made.status_code == 201 and "sangat-rahasia" not in made.get_data(as_text=True)
    assert made.get_json()["display_name"] == "Petugas Baru" and made.get_json()["active"] is True
    english = client.post("/api/v1/offices/demo/staff", json={"username": "baru2", "password": "x", "role": "clerk"},
                          headers={**people.headers("admin"), "Accept-Language": "en"})
    assert "at least 8 characters" in english.get_json()["error"]["message"]
    indonesian = client.post("/api/v1/offices/demo/staff", json={"username": "baru2", "password": "x",
                                                                 "role": "clerk"}, headers=people.headers("admin"))
    assert "minimal 8 karakter" in indonesian.get_json()["error"]["message"]


# --- Sessions end ---

def test_deactivation_ends_the_session_the_bearer_token_and_lists_no_token(app, client, people):
    browser = app.test_client()
    log_in(browser, "loket2")
    assert browser.get("/counter").status_code == 200
    token = staff.create_token(people.db, "loket2", now=NOW, name="printer")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/offices/demo/holidays", headers=bearer).status_code == 200
    response = patch(client, people, "admin", "loket2", {"active": False})
    assert response.status_code == 200 and response.get_json()["active"] is False
    page = browser.get("/counter")
    assert page.status_code == 302 and page.location.startswith("/login")
    assert client.get("/api/v1/offices/demo/holidays", headers=bearer).status_code == 401
    assert client.get(f"/api/v1/staff/{people.ids['loket2']}/tokens", headers=people.headers("admin")).get_json() == []
    assert log_in(app.test_client(), "loket2").status_code == 401
    entry = client.get("/api/v1/offices/demo/audit?action=staff.deactivated",
                       headers=people.headers("admin")).get_json()[0]
    assert entry["target"] == "staff:loket2" and entry["changes"]["active"] == [True, False]
    assert entry["changes"]["tokens_revoked"] == [None, 1]
    reactivated = patch(client, people, "admin", "loket2", {"active": True})
    assert reactivated.status_code == 200 and log_in(app.test_client(), "loket2").status_code == 302


def test_a_password_reset_ends_every_other_session_and_the_new_password_works(app, client, people):
    phone, desk = app.test_client(), app.test_client()
    log_in(phone, "loket2"), log_in(desk, "loket2")
    assert patch(client, people, "admin", "loket2", {"password": "kata-sandi-baru"}).status_code == 200
    for browser in (phone, desk):
        assert browser.get("/counter").status_code == 302
    assert log_in(app.test_client(), "loket2").status_code == 401
    assert log_in(app.test_client(), "loket2", "kata-sandi-baru").status_code == 302


def test_a_role_change_ends_the_session_but_a_new_display_name_does_not(app, client, people):
    browser = app.test_client()
    log_in(browser, "loket2")
    patch(client, people, "admin", "loket2", {"display_name": "Petugas Dua"})
    assert browser.get("/counter").status_code == 200
    patch(client, people, "admin", "loket2", {"role": "supervisor"})
    assert browser.get("/counter").status_code == 302


def test_a_revoked_token_is_refused_at_once(client, people):
    made = client.post(f"/api/v1/staff/{people.ids['loket2']}/tokens", json={"name": "kiosk printer"},
                       headers=people.headers("admin")).get_json()
    bearer = {"Authorization": f"Bearer {made['token']}"}
    assert client.get("/api/v1/offices/demo/holidays", headers=bearer).status_code == 200
    listed = client.get(f"/api/v1/staff/{people.ids['loket2']}/tokens", headers=people.headers("admin")).get_json()
    assert listed == [{"id": made["id"], "name": "kiosk printer", "created_at": listed[0]["created_at"],
                       "expires_at": made["expires_at"], "last_used_at": listed[0]["last_used_at"]}]
    assert client.delete(f"/api/v1/tokens/{made['id']}", headers=people.headers("admin")).status_code == 204
    assert client.get("/api/v1/offices/demo/holidays", headers=bearer).status_code == 401
    assert client.delete(f"/api/v1/tokens/{made['id']}", headers=people.headers("admin")).status_code == 404
    assert made["token"] not in json.dumps([row.changes for row in audit_rows(people.db)])


# --- Log-ins in the audit log ---

def every_value_of(db) -> str:
    return json.dumps([[str(getattr(e, column.name)) for column in e.__table__.columns] for e in audit_rows(db)])


def test_log_ins_and_failed_log_ins_are_logged_with_the_address_never_the_password(app, people):
    log_in(app.test_client(), "loket2", REMOTE_ADDR="10.1.2.3")
    log_in(app.test_client(), "loket2", "salah-sandi-xyz", REMOTE_ADDR="10.1.2.4")
    log_in(app.test_client(), "Tidak-Ada-Orang-Dengan-Nama-Sepanjang-Ini", "sandi-orang-asing",
           REMOTE_ADDR="10.1.2.5")
    entries = [e for e in audit_rows(people.db) if e.action.startswith("staff.login")]
    ok, wrong, unknown = entries
    assert (ok.action, ok.username, ok.address, ok.office_id) == ("staff.login", "loket2", "10.1.2.3", 1)
    assert (wrong.action, wrong.address, wrong.changes) == ("staff.login_failed", "10.1.2.4",
                                                            {"reason": "wrong_password"})
    assert unknown.office_id is None and unknown.address == "10.1.2.5"
    # A name of no account may be a password typed in the wrong field: it is not kept.
    assert unknown.username == staff_login.UNKNOWN_ACCOUNT and "tidak-ada" not in every_value_of(people.db)
    every_value = json.dumps([[str(getattr(e, column.name)) for column in e.__table__.columns]
                              for e in audit_rows(people.db)])
    for secret in (PASSWORD, "salah-sandi-xyz", "sandi-orang-asing"):
        assert secret not in every_value
    assert staff.member_by_id(people.db, people.ids["loket2"]) is not None
    with people.db.read() as s:
        from queueapp.models import StaffUser
        assert s.get(StaffUser, people.ids["loket2"]).last_login_at is not None


# --- Audit log: filters and CSV ---

def _activity(client, people, clock):
    admin = people.headers("admin")
    client.post("/api/v1/offices/demo/staff", headers=admin, json={
        "username": "baru", "password": "teh-manis-hangat", "role": "clerk"})
    clock.advance(days=1)
    patch(client, people, "admin", "loket2", {"display_name": "=HYPERLINK(\"x\")"})
    clock.advance(days=1)
    client.post(f"/api/v1/staff/{people.ids['loket3']}/tokens", headers=admin, json={"name": "printer"})


def test_the_audit_log_filters_by_action_user_days_and_target_newest_first(client, people, clock):
    _activity(client, people, clock)
    admin = people.headers("admin")

    def audit(query=""):
        # Only the admin's own changes (the demo's accounts were made by the command line).
        response = client.get(f"/api/v1/offices/demo/audit?user=admin&{query.lstrip('?')}", headers=admin)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [(e["action"], e["target"]) for e in response.get_json()]

    assert audit()[:3] == [("token.created", "staff:loket3"), ("staff.updated", "staff:loket2"),
                           ("staff.created", "staff:baru")]
    assert audit("?action=staff.") == [("staff.updated", "staff:loket2"), ("staff.created", "staff:baru")]
    assert audit("?q=LOKET3") == [("token.created", "staff:loket3")]
    assert audit("?since=2026-11-24&until=2026-11-24") == [("staff.updated", "staff:loket2")]
    assert audit("?since=2026-11-25") == [("token.created", "staff:loket3")]
    assert len(audit("?limit=1")) == 1
    assert client.get("/api/v1/offices/demo/audit?user=pemilik", headers=admin).get_json() == []
    for bad in ("?since=kemarin", "?limit=0", "?limit=5000"):
        assert client.get(f"/api/v1/offices/demo/audit{bad}", headers=admin).status_code == 422


def test_filters_a_taken_name_and_deactivation_behave_alike_on_sqlite_and_postgresql(any_db, client, people,
                                                                                     clock):
    _activity(client, people, clock)
    admin = people.headers("admin")
    found = client.get("/api/v1/offices/demo/audit?user=admin&action=staff.&q=LOKET_2&since=2026-11-24",
                       headers=admin).get_json()
    assert found == []  # "_" is a character to find, not a wildcard
    found = client.get("/api/v1/offices/demo/audit?user=admin&action=staff.&q=LOKET2&since=2026-11-24",
                       headers=admin).get_json()
    assert [e["action"] for e in found] == ["staff.updated"]
    taken = client.post("/api/v1/offices/demo/staff", headers=admin, json={
        "username": "baru", "password": "teh-manis-hangat", "role": "clerk"})
    assert taken.status_code == 409
    assert patch(client, people, "admin", "loket1", {"active": False}).get_json()["active"] is False
    assert client.get("/api/v1/offices/demo/audit", headers=people.headers("loket1")).status_code == 401


def test_the_audit_csv_holds_the_filtered_entries_with_changes_as_json(client, people, clock):
    _activity(client, people, clock)
    response = client.get("/api/v1/offices/demo/audit.csv?action=staff.&user=admin", headers=people.headers("admin"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["at", "username", "action", "target", "changes", "address"]
    assert [row[2] for row in rows[1:]] == ["staff.updated", "staff.created"]
    assert rows[1][0].startswith("2026-11-24T09:00:00+07:00") and rows[1][1] == "admin"
    changes = json.loads(rows[1][4])
    assert changes == {"display_name": ["Petugas Loket 2", '=HYPERLINK("x")']}
    assert "teh-manis-hangat" not in response.get_data(as_text=True)


def test_an_agency_admin_reads_the_audit_entries_of_its_zone_only(client, people):
    patch(client, people, "admin", "loket2", {"display_name": "Dua"})
    patch(client, people, "admin-dukcapil", "petugas-dukcapil", {"display_name": "Satu"})
    seen = client.get("/api/v1/offices/demo/audit?action=staff.updated",
                      headers=people.headers("admin-dukcapil")).get_json()
    assert [e["target"] for e in seen] == ["staff:petugas-dukcapil"]


# --- One entry per change ---

def test_each_change_made_through_the_service_functions_writes_exactly_one_entry(people):
    db, admin = people.db, staff.member_by_id(people.db, people.ids["admin"]).actor()
    loket2 = people.ids["loket2"]

    def one_entry(change, action):
        before = audit_count(db)
        result = change()
        assert audit_count(db) == before + 1 and audit_count(db, action=action) >= 1, action
        return result

    new_id = one_entry(lambda: staff.create_user(db, "baru", "teh-manis-hangat", office_slug="demo", role="clerk",
                                                 actor=admin, now=NOW), "staff.created")
    one_entry(lambda: staff.update_staff(db, admin, new_id, {"role": "supervisor", "display_name": "B"}, now=NOW),
              "staff.updated")
    one_entry(lambda: staff.reset_password(db, admin, loket2, "rahasia-baru", now=NOW), "staff.password_reset")
    one_entry(lambda: staff.create_token(db, "loket2", now=NOW, name="x", actor=admin), "token.created")
    token_id, _ = one_entry(lambda: staff.create_token_for(db, admin, loket2, now=NOW, name="y"), "token.created")
    one_entry(lambda: staff.revoke_token(db, admin, token_id, now=NOW), "token.revoked")
    one_entry(lambda: staff.update_staff(db, admin, loket2, {"active": False}, now=NOW), "staff.deactivated")
    one_entry(lambda: staff.update_staff(db, admin, loket2, {"active": True}, now=NOW), "staff.reactivated")
    before = audit_count(db)
    staff.update_staff(db, admin, loket2, {"role": "clerk", "display_name": "Petugas Loket 2"}, now=NOW)
    assert audit_count(db) == before  # nothing changed, nothing logged
    assert staff.member_by_id(db, loket2).session_version == 3  # reset, deactivation


def test_an_owner_is_made_without_an_office_and_an_office_role_needs_one(people):
    owner = staff.member_by_id(people.db, people.ids["pemilik"])
    assert owner.role == "owner" and owner.office_id is None
    with pytest.raises(Exception) as no_office:
        staff.create_user(people.db, "tanpa-kantor", "teh-manis-hangat", office_slug=None, role="clerk")
    with pytest.raises(Exception) as owner_in_office:
        staff.create_user(people.db, "bos-kantor", "teh-manis-hangat", office_slug="demo", role="owner")
    assert no_office.value.code == owner_in_office.value.code == "invalid_input"
    entry = [e for e in audit_rows(people.db) if e.target == "staff:pemilik"][0]
    assert (entry.action, entry.office_id, entry.username) == ("staff.created", None, "(command line)")


def test_two_admins_creating_the_same_name_at_once_get_one_account_and_one_conflict(any_db, people):
    from concurrent.futures import ThreadPoolExecutor

    from queueapp.domain.errors import AlreadyExists
    admin = staff.member_by_id(people.db, people.ids["admin"]).actor()

    def create(_):
        try:
            return staff.create_user(people.db, "kembar", "teh-manis-hangat", office_slug="demo", role="clerk",
                                     actor=admin, now=NOW)
        except AlreadyExists:
            return "conflict"

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(create, range(4)))
    assert results.count("conflict") == 3
    assert audit_count(people.db, target="staff:kembar") == 1
