"""The office administration pages in the browser: the office list and a new office,
settings and checklist, logo, zones, weekly hours, holidays, devices; landing after log-in
by role; the first run."""
from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import select

from queueapp.models import Display, Holiday, Kiosk, Office, OpeningHours

from .admin_office_support import audit_entries, csrf_of, log_in, set_up_people, zone_id

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def people(demo, clock):
    set_up_people(demo, clock())


def form_of(page: bytes, form_id: str) -> dict:
    """The named inputs of one form of a page, as typed there (checkboxes when checked)."""
    text = page.decode()
    match = re.search(rf'<form[^>]*id="{form_id}".*?</form>', text, re.S)
    assert match, form_id
    body = match.group(0)
    fields = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>(?:[^<]*</textarea>)?", body):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                fields[name.group(1)] = "y"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if tag.startswith("<textarea"):
            value = re.search(r">(?:\r?\n)?([^<]*)</textarea>", tag)   # a browser drops the first line end
        fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for select_ in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_[1])
        first = re.search(r'<option[^>]*value="([^"]*)"', select_[1])
        fields[select_[0]] = next(g for g in chosen.groups() if g is not None) if chosen else first.group(1)
    return fields


# --- Landing and first run ---


@pytest.mark.parametrize("username, landing", [("pemilik", "/admin"), ("admin", "/admin"),
                                               ("supervisor", "/counter"), ("loket1", "/counter")])
def test_each_role_lands_where_its_work_is(client, demo, people, username, landing):
    assert log_in(client, username).location == landing


def test_an_owner_sees_every_office_and_an_admin_goes_to_their_own(client, demo, people):
    log_in(client, "pemilik")
    page = client.get("/admin").get_data(as_text=True)
    assert "Kantor Kecamatan Demo" in page and "Kecamatan Lain" in page and 'id="new-office"' in page
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/admin").data)})
    log_in(client, "admin-lain")
    assert client.get("/admin").location == "/admin/lain"
    assert client.get("/admin/demo").status_code == 403


def test_a_clerk_has_no_administration(client, demo, people):
    log_in(client, "loket1")
    assert client.get("/admin").status_code == 403
    assert client.get("/admin/demo/hours").status_code == 403


def test_strangers_are_sent_to_the_log_in(client, demo):
    assert client.get("/admin/demo").location.startswith("/login")


def test_the_first_run_says_how_to_create_the_owner(client, db):
    for page in ("/", "/login"):
        text = client.get(page).get_data(as_text=True)
        assert "queueapp create-user NAME --role owner" in text


def test_the_first_run_hint_is_gone_once_staff_exist(client, demo):
    assert "create-user" not in client.get("/login").get_data(as_text=True)


# --- Offices: a new one, its settings, checklist and logo ---


def test_an_owner_creates_an_office_and_its_checklist_says_what_is_missing(client, demo, people):
    log_in(client, "pemilik")
    fields = {**form_of(client.get("/admin").data, "new-office"), "slug": "kec-tamalate", "name": "Kecamatan Tamalate",
              "timezone": "Asia/Makassar", "address": "Makassar"}
    response = client.post("/admin", data=fields)
    assert response.status_code == 302 and response.location == "/admin/kec-tamalate"
    page = client.get("/admin/kec-tamalate").get_data(as_text=True)
    assert "Kecamatan Tamalate" in page and "WITA" in page
    todo = re.findall(r'<li class="todo" data-item="(\w+)">\s*<a href="([^"]+)"', page)
    assert todo == [("services", "/admin/kec-tamalate/services"), ("counters", "/admin/kec-tamalate/counters"),
                    ("hours", "/admin/kec-tamalate/hours"), ("staff", "/admin/kec-tamalate/staff"),
                    ("devices", "/admin/kec-tamalate/devices")]


def test_a_taken_slug_is_refused_on_the_page_with_what_was_typed(client, demo, people):
    log_in(client, "pemilik")
    fields = {**form_of(client.get("/admin?lang=en").data, "new-office"), "slug": "demo", "name": "Kantor Kedua"}
    response = client.post("/admin?lang=en", data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "demo is already taken" in page and 'value="Kantor Kedua"' in page
    bad = client.post("/admin?lang=en", data={**fields, "slug": "Bad Slug!"})
    assert bad.status_code == 422 and "lowercase letters" in bad.get_data(as_text=True)


def test_an_admin_changes_the_settings_and_the_audit_log_has_before_and_after(client, demo, people):
    log_in(client, "admin")
    fields = {**form_of(client.get("/admin/demo").data, "office-form"), "running_text": "Besok libur",
              "max_calls": "4"}
    response = client.post("/admin/demo", data=fields)
    assert response.status_code == 302
    entry = audit_entries(demo, "office.updated")[-1]   # the demo was set up through the same use case
    assert entry.changes == {"max_calls": [3, 4], "running_text": [entry.changes["running_text"][0], "Besok libur"]}
    assert 'value="4"' in client.get("/admin/demo").get_data(as_text=True)


def test_a_bad_setting_is_shown_under_its_field_and_nothing_changes(client, demo, people):
    log_in(client, "admin")
    fields = {**form_of(client.get("/admin/demo").data, "office-form"), "max_calls": "11", "name": "Nama Baru"}
    response = client.post("/admin/demo?lang=en", data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "from 1 to 10" in page and 'value="Nama Baru"' in page
    assert audit_entries(demo, "office.updated") == []


def test_a_supervisor_may_close_the_office_but_not_rename_it(client, demo, people):
    log_in(client, "supervisor")
    fields = form_of(client.get("/admin/demo").data, "office-form")
    assert client.post("/admin/demo", data={**fields, "closed": "y"}).status_code == 302
    refused = client.post("/admin/demo?lang=en", data={**fields, "name": "Kantor Baru"})
    assert refused.status_code == 403 and "Your role may not do this" in refused.get_data(as_text=True)


@pytest.mark.parametrize("path, form_id, changes", [
    ("/admin/demo", "office-form", {"name": "Kantor Dukcapil"}),
    ("/admin/demo/zones", "new-zone", {"new-name": "Imigrasi"}),
    ("/admin/demo/hours", "hours-form", {"rows-0-opens": "07:00", "rows-0-closes": "12:00"}),
])
def test_an_agency_admin_may_not_change_the_whole_office(client, demo, people, path, form_id, changes):
    log_in(client, "admin-dukcapil")
    fields = {**form_of(client.get(path).data, form_id), **changes}
    response = client.post(f"{path}?lang=en", data=fields)
    assert response.status_code == 403 and "form-error" in response.get_data(as_text=True)


def test_a_logo_is_uploaded_served_publicly_and_a_gif_is_refused(client, demo, people):
    log_in(client, "admin")
    token = csrf_of(client.get("/admin/demo").data)
    saved = client.post("/admin/demo/logo", data={"csrf_token": token, "logo": (io.BytesIO(PNG), "logo.png")},
                        content_type="multipart/form-data")
    assert saved.status_code == 302
    served = client.get("/offices/demo/logo")
    assert served.status_code == 200 and served.data == PNG and served.mimetype == "image/png"
    assert "public" in served.headers["Cache-Control"]
    gif = client.post("/admin/demo/logo?lang=en", data={"csrf_token": token, "logo": (io.BytesIO(b"GIF89a..."), "x.gif")},
                      content_type="multipart/form-data")
    assert gif.status_code == 422 and "PNG or JPEG" in gif.get_data(as_text=True)
    assert client.get("/offices/demo/logo").data == PNG
    client.post("/admin/demo/logo", data={"csrf_token": token, "remove": "y"})
    assert client.get("/offices/demo/logo").status_code == 404


# --- Zones and weekly hours ---


def test_zones_are_added_renamed_and_a_taken_name_is_refused(client, demo, people):
    log_in(client, "admin")
    page = client.get("/admin/demo/zones").data
    assert client.post("/admin/demo/zones", data={**form_of(page, "new-zone"), "new-name": "Imigrasi",
                                                  "new-agency": "Kantor Imigrasi"}).status_code == 302
    taken = client.post("/admin/demo/zones?lang=en", data={**form_of(page, "new-zone"), "new-name": "Imigrasi"})
    assert taken.status_code == 409 and "Imigrasi is already taken" in taken.get_data(as_text=True)
    zone = zone_id(demo, "Imigrasi")
    renamed = client.post(f"/admin/demo/zones/{zone}", data={"csrf_token": csrf_of(page),
                                                             f"zone-{zone}-name": "Imigrasi Kelas I",
                                                             f"zone-{zone}-agency": ""})
    assert renamed.status_code == 302 and "Imigrasi Kelas I" in client.get("/admin/demo/zones").get_data(as_text=True)


def test_the_hours_page_keeps_two_periods_a_day_and_refuses_an_overlap_without_writing(client, demo, people):
    log_in(client, "admin")
    page = client.get("/admin/demo/hours").data
    fields = {"csrf_token": csrf_of(page)}
    rows = [(1, "08:00", "12:00", "", True, True), (1, "13:00", "15:30", "14:00-14:15", True, False),
            (5, "08:00", "15:00", "11:30-13:00", True, True)]
    for index, (day, opens, closes, breaks, walk_ins, appointments) in enumerate(rows):
        fields.update({f"rows-{index}-weekday": str(day), f"rows-{index}-opens": opens,
                       f"rows-{index}-closes": closes, f"rows-{index}-breaks": breaks})
        fields.update({f"rows-{index}-walk_ins": "y"} if walk_ins else {})
        fields.update({f"rows-{index}-appointments": "y"} if appointments else {})
    assert client.post("/admin/demo/hours", data=fields).status_code == 302
    with demo.read() as s:
        saved = s.execute(select(OpeningHours.weekday, OpeningHours.opens, OpeningHours.breaks, OpeningHours.appointments)
                          .order_by(OpeningHours.weekday, OpeningHours.opens)).all()
    assert saved == [(1, "08:00", "", True), (1, "13:00", "14:00-14:15", False), (5, "08:00", "11:30-13:00", True)]
    overlap = {**fields, "rows-1-opens": "11:00"}
    refused = client.post("/admin/demo/hours?lang=en", data=overlap)
    assert refused.status_code == 422 and "08:00-12:00 overlaps 11:00-15:30" in refused.get_data(as_text=True)
    assert 'value="11:00"' in refused.get_data(as_text=True)
    bad_break = client.post("/admin/demo/hours?lang=en", data={**fields, "rows-2-breaks": "16:00-17:00"})
    assert bad_break.status_code == 422 and "is not inside 08:00-15:00" in bad_break.get_data(as_text=True)
    with demo.read() as s:
        assert len(s.execute(select(OpeningHours.id)).all()) == 3


# --- Holidays ---


def test_a_supervisor_adds_imports_and_removes_closed_days_and_each_is_audited(client, demo, people):
    log_in(client, "supervisor")
    page = client.get("/admin/demo/holidays").data
    added = client.post("/admin/demo/holidays", data={"csrf_token": csrf_of(page), "day": "2026-12-24",
                                                      "name": "Cuti Bersama Natal"})
    assert added.status_code == 302
    csv = b"date,name\n2027-03-20,Cuti Bersama Idul Fitri\n2027-03-21,Idul Fitri\n"
    imported = client.post("/admin/demo/holidays/import", data={"csrf_token": csrf_of(page),
                                                                "file": (io.BytesIO(csv), "libur-2027.csv")},
                           content_type="multipart/form-data")
    assert imported.status_code == 302
    removed = client.post("/admin/demo/holidays/2026-12-24/remove", data={"csrf_token": csrf_of(page)})
    assert removed.status_code == 302
    with demo.read() as s:
        days = {d.isoformat() for d in s.execute(select(Holiday.day)).scalars()}
    assert {"2027-03-20", "2027-03-21"} <= days and "2026-12-24" not in days
    added_entries = audit_entries(demo, "holiday.added")
    assert added_entries[0].changes == {"2026-12-24": [None, "Cuti Bersama Natal"]}
    assert added_entries[1].changes["2027-03-21"] == [None, "Idul Fitri"]
    assert audit_entries(demo, "holiday.removed")[0].changes == {"2026-12-24": ["Cuti Bersama Natal", None]}


def test_a_bad_holiday_file_is_explained_and_nothing_is_added(client, demo, people):
    log_in(client, "supervisor")
    token = csrf_of(client.get("/admin/demo/holidays").data)
    response = client.post("/admin/demo/holidays/import?lang=en",
                           data={"csrf_token": token, "file": (io.BytesIO(b"2027-13-45,Salah\n"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "line 1: 2027-13-45 is not a date" in response.get_data(as_text=True)
    assert audit_entries(demo, "holiday.added") == []


def test_a_clerk_may_not_manage_holidays(client, demo, people):
    log_in(client, "loket1")
    assert client.get("/admin/demo/holidays").status_code == 403
