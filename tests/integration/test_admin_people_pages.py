"""The people pages as an office admin uses them: staff list, a new account, a member's
role, password, status and tokens, and the audit log."""
import re

import pytest

from queueapp.services import staff

from .admin_people_setup import (  # noqa: F401 - fixtures
    db, people, people_template, csrf_of, log_in)



@pytest.fixture
def admin(app, people):
    browser = app.test_client()
    log_in(browser, "admin")
    return browser


def post_form(browser, page: str, action: str, data: dict):
    token = csrf_of(browser.get(page).data)
    return browser.post(action, data={**data, "csrf_token": token})


def member_page(people, username):
    return f"/admin/demo/staff/{people.ids[username]}"


def test_the_staff_page_lists_the_offices_accounts_for_admins_only(app, admin, people):
    page = admin.get("/admin/demo/staff")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "loket1" in html and "Petugas Loket 1" in html
    assert "admin-lain" not in html and "pemilik" not in html
    clerk = app.test_client()
    log_in(clerk, "loket1")
    assert clerk.get("/admin/demo/staff").status_code == 403
    assert app.test_client().get("/admin/demo/staff").status_code == 302
    assert admin.get("/admin/lain/staff").status_code == 403


def test_an_admin_creates_an_account_and_lands_on_its_page(admin, people):
    response = post_form(admin, "/admin/demo/staff", "/admin/demo/staff", {
        "username": "Loket6", "display_name": "Petugas Loket 6", "password": "teh-manis-hangat", "role": "clerk",
        "zone": str(people.zone_id)})
    assert response.status_code == 302
    page = admin.get(response.location).get_data(as_text=True)
    assert "Akun loket6 telah dibuat." in page and "Petugas Loket 6" in page and "Dukcapil" in page


def test_a_refused_account_keeps_what_was_typed_and_says_why_at_the_field(admin, people):
    taken = post_form(admin, "/admin/demo/staff", "/admin/demo/staff", {
        "username": "loket1", "display_name": "Nama Yang Diketik", "password": "teh-manis-hangat", "role": "supervisor",
        "zone": ""})
    html = taken.get_data(as_text=True)
    assert taken.status_code == 409 and "loket1 sudah dipakai" in html
    assert 'value="Nama Yang Diketik"' in html and '<option selected value="supervisor">' in html
    assert "teh-manis-hangat" not in html
    short = post_form(admin, "/admin/demo/staff?lang=en", "/admin/demo/staff", {
        "username": "baru", "password": "123", "role": "clerk", "zone": ""})
    assert short.status_code == 422
    assert re.search(r'field invalid">\s*<label for="password"', short.get_data(as_text=True))
    assert "at least 8 characters" in short.get_data(as_text=True)


def test_an_admin_changes_a_members_role_and_the_members_session_ends(app, admin, people):
    clerk = app.test_client()
    log_in(clerk, "loket2")
    page = member_page(people, "loket2")
    response = post_form(admin, page, page, {"display_name": "Petugas Dua", "role": "supervisor", "zone": ""})
    assert response.status_code == 302
    html = admin.get(page).get_data(as_text=True)
    assert "Perubahan disimpan." in html and "Petugas Dua" in html and "Penyelia" in html
    assert clerk.get("/counter").status_code == 302


def test_a_member_page_of_another_office_is_not_found_and_a_zone_beyond_reach_is_refused(app, people):
    owner = app.test_client()
    log_in(owner, "pemilik")
    assert owner.get(f"/admin/lain/staff/{people.ids['loket1']}").status_code == 404
    agency = app.test_client()
    log_in(agency, "admin-dukcapil")
    assert agency.get(member_page(people, "loket1")).status_code == 403
    page = member_page(people, "petugas-dukcapil")
    refused = post_form(agency, page, page, {"display_name": "Petugas", "role": "clerk", "zone": ""})
    assert refused.status_code == 403 and "Anda hanya dapat" in refused.get_data(as_text=True)


def test_a_password_reset_from_the_page_ends_the_members_sessions(app, admin, people):
    clerk = app.test_client()
    log_in(clerk, "loket2")
    page = member_page(people, "loket2")
    short = post_form(admin, page, page + "/password", {"password": "123"})
    assert short.status_code == 422 and "minimal 8 karakter" in short.get_data(as_text=True)
    assert clerk.get("/counter").status_code == 200
    done = post_form(admin, page, page + "/password", {"password": "kata-sandi-baru"})
    assert done.status_code == 302 and clerk.get("/counter").status_code == 302
    assert log_in(app.test_client(), "loket2", "kata-sandi-baru").status_code == 302


def test_deactivation_from_the_page_ends_the_members_session_and_reactivation_lets_them_back(app, admin, people):
    clerk = app.test_client()
    log_in(clerk, "loket2")
    page = member_page(people, "loket2")
    assert post_form(admin, page, page + "/active", {"active": "0"}).status_code == 302
    assert "Dinonaktifkan" in admin.get("/admin/demo/staff").get_data(as_text=True)
    assert clerk.get("/counter").status_code == 302
    assert log_in(app.test_client(), "loket2").status_code == 401
    assert post_form(admin, page, page + "/active", {"active": "1"}).status_code == 302
    assert log_in(app.test_client(), "loket2").status_code == 302
    own = admin.get(member_page(people, "admin")).get_data(as_text=True)
    assert "/active" not in own  # no one deactivates themselves


def test_a_new_token_is_shown_once_and_revoking_it_stops_it(app, admin, people):
    page = member_page(people, "loket2")
    created = post_form(admin, page, page + "/tokens", {"name": "skrip printer kios"})
    html = created.get_data(as_text=True)
    assert created.status_code == 201
    token = re.search(r'id="new-token" size="48"|value="([^"]+)" id="new-token"', html).group(1)
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/offices/demo/holidays", headers=bearer).status_code == 200
    again = admin.get(page).get_data(as_text=True)
    assert token not in again and "skrip printer kios" in again
    revoke = re.search(r'action="(/admin/demo/tokens/\d+/revoke)"', again).group(1)
    assert post_form(admin, page, revoke, {}).status_code == 302
    assert app.test_client().get("/api/v1/offices/demo/holidays", headers=bearer).status_code == 401
    empty_name = post_form(admin, page, page + "/tokens", {"name": ""})
    assert empty_name.status_code == 422


def test_the_audit_page_shows_entries_newest_first_with_filters_and_a_csv_link(app, admin, people, clock):
    staff.update_staff(people.db, None, people.ids["loket2"], {"display_name": "Dua"}, now=clock())
    clock.advance(hours=1)
    staff.update_staff(people.db, None, people.ids["loket3"], {"display_name": "Tiga"}, now=clock())
    html = admin.get("/admin/demo/audit?action=staff.updated").get_data(as_text=True)
    assert html.index("staff:loket3") < html.index("staff:loket2")
    assert "Petugas Loket 2" in html and "Dua" in html and "Akun diubah" in html
    assert "staff.login" in admin.get("/admin/demo/audit?action=staff.login").get_data(as_text=True)
    filtered = admin.get("/admin/demo/audit?q=loket3").get_data(as_text=True)
    assert "staff:loket3" in filtered and "staff:loket2" not in filtered
    assert 'href="/api/v1/offices/demo/audit.csv?q=loket3"' in filtered
    csv = admin.get("/api/v1/offices/demo/audit.csv?q=loket3")
    assert csv.status_code == 200 and "staff:loket3" in csv.get_data(as_text=True)
    bad = admin.get("/admin/demo/audit?since=kemarin&lang=en")
    assert bad.status_code == 422 and "since must be a date YYYY-MM-DD" in bad.get_data(as_text=True)
    supervisor = app.test_client()
    log_in(supervisor, "supervisor")
    assert supervisor.get("/admin/demo/audit").status_code == 403
