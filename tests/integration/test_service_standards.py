"""The service standard's six components and the office's pledge are edited in the admin
pages, through the API and by importing the office's document, each change audited with
what it was before; the export gives them back."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from queueapp.domain import standards
from queueapp.models import AuditEntry, Office, Service
from queueapp.queries.office_document import office_document
from queueapp.services.demo import STANDARDS
from queueapp.services.office_import import import_office

from .. import support
from ..support import csrf_of
from .admin_office_support import bearer
from .test_admin_catalog_pages import form_of

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
STEPS = "Ambil nomor antrian\nPetugas memeriksa berkas\nPerekaman sidik jari dan foto"


def entries(db, action: str, target: str) -> list[AuditEntry]:
    with db.read() as s:
        return list(s.execute(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.target == target)
                              .order_by(AuditEntry.id)).scalars())


def service_a(db) -> Service:
    with db.read() as s:
        return s.execute(select(Service).join(Office).where(Office.slug == "demo", Service.prefix == "A")).scalar_one()


def office_row(db) -> Office:
    with db.read() as s:
        return s.execute(select(Office).where(Office.slug == "demo")).scalar_one()


def test_an_admin_writes_a_services_procedure_and_complaint_channel_in_its_form(client, demo):
    assert support.log_in(client, "admin").status_code == 302
    typed = {**form_of(client.get("/admin/demo/services/A").data), "procedure": STEPS,
             "complaints": "Loket pengaduan Dukcapil, WA 0812-0000-1111"}
    response = client.post("/admin/demo/services/A", data=typed)
    assert response.status_code == 302
    row = service_a(demo)
    assert (row.procedure, row.complaints) == (STEPS, "Loket pengaduan Dukcapil, WA 0812-0000-1111")
    [entry] = entries(demo, "service.updated", "service:A")
    assert entry.changes["procedure"] == [STANDARDS["A"]["procedure"], STEPS]
    form = client.get("/admin/demo/services/A").get_data(as_text=True)
    assert "Perekaman sidik jari dan foto" in form
    page = client.get("/transparansi/demo").get_data(as_text=True)
    assert "Petugas memeriksa berkas" in page and "Loket pengaduan Dukcapil" in page


def test_the_pledge_and_its_display_flag_are_office_settings_with_the_standard_wording_offered(client, demo):
    assert support.log_in(client, "admin").status_code == 302
    page = client.get("/admin/demo/settings")
    assert standards.DEFAULT_PLEDGE in page.get_data(as_text=True)    # offered while the office has none
    typed = {**form_of(page.data), "pledge": "Kami sanggup melayani sesuai standar.", "pledge_on_display": "y"}
    assert client.post("/admin/demo/settings", data=typed).status_code == 302
    office = office_row(demo)
    assert (office.pledge, office.pledge_on_display) == ("Kami sanggup melayani sesuai standar.", True)
    [entry] = entries(demo, "office.updated", "office:demo")[-1:]
    assert entry.changes["pledge"] == ["", "Kami sanggup melayani sesuai standar."]
    assert entry.changes["pledge_on_display"] == [False, True]


def test_the_api_changes_the_standard_and_the_pledge_and_the_public_listing_shows_them(client, demo):
    headers = bearer(demo, "admin")
    response = client.patch("/api/v1/offices/demo/services/A", headers=headers,
                            json={"procedure": STEPS, "complaints": ""})
    assert response.status_code == 200 and response.get_json()["procedure"] == STEPS
    response = client.patch("/api/v1/offices/demo", headers=headers, json={"pledge": "Janji layanan kami."})
    assert response.status_code == 200 and response.get_json()["pledge"] == "Janji layanan kami."
    too_long = client.patch("/api/v1/offices/demo", headers=headers, json={"pledge": "x" * 4001})
    assert too_long.status_code == 422
    assert entries(demo, "service.updated", "service:A")[-1].changes["procedure"] == \
        [STANDARDS["A"]["procedure"], STEPS]
    public = client.get("/api/v1/offices/demo/standards").get_json()
    a = public["services"][0]
    assert a["procedure"] == STEPS.split("\n") and a["requirements"][0] == "Fotokopi Kartu Keluarga"
    # A service without its own channel sends complaints to the office's.
    assert a["complaints"] == "SP4N-LAPOR! www.lapor.go.id, kotak saran di lobi"
    assert public["office"]["pledge"] == "Janji layanan kami." and public["office"]["lapor"]["url"] == \
        "https://www.lapor.go.id"


def test_the_office_document_carries_the_standard_and_the_pledge_both_ways(demo):
    document = office_document(demo, "demo")
    document["office"].update(pledge="Maklumat kantor demo.", pledge_on_display=True)
    document["services"][0].update(procedure=STEPS, complaints="Kotak saran")
    import_office(demo, document, now=NOW)
    row, office = service_a(demo), office_row(demo)
    assert (row.procedure, row.complaints, office.pledge, office.pledge_on_display) == \
        (STEPS, "Kotak saran", "Maklumat kantor demo.", True)
    assert entries(demo, "service.updated", "service:A")[-1].changes["complaints"] == ["", "Kotak saran"]
    again = office_document(demo, "demo")
    assert again["office"]["pledge"] == "Maklumat kantor demo." and again["services"][0]["procedure"] == STEPS
