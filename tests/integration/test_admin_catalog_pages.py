"""The catalog's admin pages in a browser (Flask test client, CSRF on): list, add and
change services and counters; refusals shown on the page in Indonesian, the form keeping
what was typed; clerks see nothing, supervisors only the counters' states."""
import re

import pytest
from sqlalchemy import select

from queueapp.models import BookingRule, Counter, Office, Service

from .catalog_fixtures import audit_entries, cast, counts
from .. import support
from ..support import csrf_of


def form_of(page: bytes) -> dict[str, str]:
    """What the browser would send back unchanged: text inputs, checked boxes, selected options."""
    html = page.decode()
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) == "checkbox":
            if " checked" in tag:
                data[name.group(1)] = "y"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', options)
        data[name] = next(v for v in chosen.groups() if v is not None) if chosen else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = text.strip()
    return data


@pytest.fixture
def admin(client, demo):
    log_in(client, "admin")
    return client


def service_row(db, code):
    with db.read() as s:
        return s.execute(select(Service).join(Office).where(Office.slug == "demo", Service.prefix == code)
                         ).scalar_one_or_none()


def test_the_services_page_lists_the_kiosks_services_in_indonesian(admin):
    page = admin.get("/admin/demo/services")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Layanan" in text and "KTP-el (Rekam / Cetak)" in text and 'id="service-F"' in text
    assert "4 per 15 menit" in text


def test_an_admin_adds_a_bookable_service_with_its_standard_through_the_form(admin, demo):
    created_before = len(audit_entries(demo, "service.created"))   # the demo's own
    blank = form_of(admin.get("/admin/demo/services/new").data)
    assert blank["expected_minutes"] == "10" and blank["booking_slot_minutes"] == "15"
    typed = {**blank, "code": "g", "name": "Kartu Identitas Anak (KIA)", "daily_quota": "40",
             "requirements": "Akta kelahiran\nKartu Keluarga", "fee": "Gratis (Rp0)", "product": "KIA",
             "completion_time": "1 hari kerja", "booking_bookable": "y", "booking_capacity": "2"}
    response = admin.post("/admin/demo/services/new", data=typed)
    assert response.status_code == 302 and response.location.endswith("/admin/demo/services#service-G")
    assert "Tersimpan" in admin.get(response.location).get_data(as_text=True)
    service = service_row(demo, "G")
    assert (service.name_en, service.daily_quota, service.requirements) == \
        ("Kartu Identitas Anak (KIA)", 40, "Akta kelahiran\nKartu Keluarga")
    with demo.read() as s:
        assert s.get(BookingRule, service.id).capacity == 2
    assert len(audit_entries(demo, "service.created")) == created_before + 1


def test_a_refused_service_shows_the_error_in_indonesian_and_keeps_what_was_typed(admin, demo):
    before = counts(demo)
    typed = {**form_of(admin.get("/admin/demo/services/new").data), "code": "A", "name": "Layanan Baru Saya"}
    response = admin.post("/admin/demo/services/new", data=typed)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "A sudah dipakai. Pilih kode lain." in text
    assert 'value="Layanan Baru Saya"' in text
    bad = admin.post("/admin/demo/services/new", data={**typed, "code": "G", "expected_minutes": "sepuluh"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Perkiraan lama layanan (menit) harus bilangan bulat dari 1 sampai 480" in text
    assert 'value="sepuluh"' in text
    assert counts(demo) == before


def test_a_form_without_its_csrf_token_writes_nothing(admin, demo):
    before = counts(demo)
    typed = form_of(admin.get("/admin/demo/services/new").data)
    typed.pop("csrf_token")
    response = admin.post("/admin/demo/services/new", data={**typed, "code": "G", "name": "KIA"})
    assert response.status_code == 400
    assert counts(demo) == before


def test_an_admin_changes_a_service_and_only_the_change_is_logged(admin, demo):
    page = admin.get("/admin/demo/services/d")
    assert page.status_code == 200
    typed = {**form_of(page.data), "fee": "Gratis", "daily_quota": ""}
    assert typed["name"] == "Surat Pindah / Datang" and typed["booking_bookable"] == "y"
    assert admin.post("/admin/demo/services/D", data=typed).status_code == 302
    assert service_row(demo, "D").daily_quota is None
    entry, = audit_entries(demo, "service.updated")
    assert entry.changes == {"fee": ["", "Gratis"], "daily_quota": [60, None]}


def test_an_admin_adds_a_counter_with_its_services_in_order(admin, demo):
    page = admin.get("/admin/demo/counters/new")
    typed = {**form_of(page.data), "number": "7", "order_E": "1", "order_F": "2", "state": "open"}
    response = admin.post("/admin/demo/counters/new", data=typed)
    assert response.status_code == 302
    listing = admin.get("/admin/demo/counters").get_data(as_text=True)
    assert "Loket 7" in listing and "1. E</span>, <span class=\"order\">2. F" in listing
    with demo.read() as s:
        counter = s.execute(select(Counter).where(Counter.number == 7)).scalar_one()
        assert {link.service.prefix: link.order for link in counter.links} == {"E": 1, "F": 2}
        assert counter.state.value == "open"


def test_a_taken_counter_number_is_refused_on_the_page(admin, demo):
    before = counts(demo)
    typed = {**form_of(admin.get("/admin/demo/counters/new").data), "number": "3", "name": "Loket Tambahan",
             "order_A": "1"}
    response = admin.post("/admin/demo/counters/new", data=typed)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "3 sudah dipakai. Pilih nomor lain." in text and 'value="Loket Tambahan"' in text
    assert counts(demo) == before


def test_saving_a_counters_settings_keeps_the_state_a_clerk_set_meanwhile(admin, demo, client):
    cid = next(c["id"] for c in client.get("/api/v1/offices/demo/counters").get_json() if c["number"] == 4)
    page = form_of(admin.get(f"/admin/demo/counters/{cid}").data)
    assert page["state"] == "open" and page["order_D"] == "1" and page["order_A"] == ""
    with demo.write() as uow:
        uow.session.get(Counter, cid).state = Counter.state.type.enum_class("paused")
    assert admin.post(f"/admin/demo/counters/{cid}", data={**page, "order_D": "", "name": "Loket Surat"}).status_code == 302
    view = next(c for c in client.get("/api/v1/offices/demo/counters").get_json() if c["id"] == cid)
    assert view["state"] == "paused" and view["name"] == "Loket Surat"
    assert [s["code"] for s in view["services"]] == ["E", "F"]


def test_a_supervisor_sees_the_counters_and_sets_their_state_but_configures_nothing(client, demo):
    log_in(client, "supervisor")
    listing = client.get("/admin/demo/counters")
    assert listing.status_code == 200 and b'id="new-counter"' not in listing.data
    cid = next(c["id"] for c in client.get("/api/v1/offices/demo/counters").get_json() if c["number"] == 2)
    token = csrf_of(listing.data)
    response = client.post(f"/admin/demo/counters/{cid}/state", data={"csrf_token": token, "state": "closed"})
    assert response.status_code == 302
    assert next(c for c in client.get("/api/v1/offices/demo/counters").get_json() if c["id"] == cid)["state"] \
        == "closed"
    for url in ("/admin/demo/services", "/admin/demo/services/new", "/admin/demo/services/A",
                "/admin/demo/counters/new", f"/admin/demo/counters/{cid}"):
        assert client.get(url).status_code == 403, url


def test_a_clerk_reads_nothing_here(client, demo):
    log_in(client, "loket1")
    for url in ("/admin/demo/services", "/admin/demo/counters", "/admin/demo/services/new",
                "/admin/demo/counters/new"):
        assert client.get(url).status_code == 403, url


def test_strangers_are_sent_to_the_log_in(client, demo):
    response = client.get("/admin/demo/services")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_an_agency_admin_is_refused_a_shared_service_on_the_page(client, demo):
    cast(demo)
    log_in(client, "dukcapil-admin")
    listing = client.get("/admin/demo/services").get_data(as_text=True)
    assert 'id="service-K"' in listing and 'id="service-P"' not in listing
    assert client.get("/admin/demo/services/P").status_code == 403
    page = client.get("/admin/demo/services/A")
    response = client.post("/admin/demo/services/A", data={**form_of(page.data), "fee": "Rp 10.000"})
    assert response.status_code == 403
    assert "Akun Anda bekerja di satu zona" in response.get_data(as_text=True)
    assert service_row(demo, "A").fee == "Gratis"


def test_the_pages_speak_english_on_request(admin):
    assert "Add a service" in admin.get("/admin/demo/services?lang=en").get_data(as_text=True)


def test_a_form_sent_without_its_csrf_token_is_refused_readably_and_saves_nothing(admin, demo):
    data = form_of(admin.get("/admin/demo/services/new").data)
    data.pop("csrf_token")
    response = admin.post("/admin/demo/services/new", data={**data, "code": "Z", "name": "Tanpa token"})
    assert response.status_code == 400
    assert "Formulir sudah kedaluwarsa" in response.get_data(as_text=True)
    assert service_row(demo, "Z") is None


def log_in(client, username):
    assert support.log_in(client, username).status_code == 302
