"""The office administration API (offices, zones, hours, kiosks, displays): who may do
what, in which office; what the audit log and the screens learn of each change."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from queueapp.models import (AuditEntry, Counter, CounterService, CounterState, Display, Kiosk, Office, OpeningHours,
                             Service, Ticket)
from queueapp.services import devices

from .admin_office_support import audit_entries, bearer, set_up_people, zone_id
from ..support import pair_browser

ROLES = ("pemilik", "admin", "supervisor", "loket1", "admin-lain", "admin-dukcapil")
ALL = dict.fromkeys(ROLES)
HOURS = [{"weekday": day, "opens": "08:00", "closes": "15:00", "breaks": [["12:00", "13:00"]]} for day in range(1, 6)]


class Tokens(dict):
    """The bearer headers of each member, made when a test first asks for them."""

    def __init__(self, db):
        super().__init__()
        self.db = db

    def __missing__(self, username):
        self[username] = bearer(self.db, username)
        return self[username]


@pytest.fixture
def people(demo, clock):
    set_up_people(demo, clock())
    return Tokens(demo)


@pytest.fixture
def devices_of_demo(demo, clock, people):
    """A kiosk and a display of the whole office, and a kiosk of the Dukcapil zone: their ids."""
    return {"lobi": devices.add_kiosk(demo, None, "demo", {"name": "lobi"}, now=clock()),
            "dukcapil": devices.add_kiosk(demo, None, "demo", {"name": "dukcapil", "zone_id": zone_id(demo)},
                                          now=clock()),
            "tv": devices.add_display(demo, None, "demo", {"name": "tv"}, now=clock()), "zone": zone_id(demo)}


def expect(allowed: set[str], ok: int) -> dict[str, int]:
    return {role: ok if role in allowed else 403 for role in ROLES}


WHOLE_OFFICE_ADMINS = {"pemilik", "admin"}
SUPERVISORS_UP = {"pemilik", "admin", "supervisor", "admin-dukcapil"}

CASES = [
    ("post", "/api/v1/offices", lambda n: {"slug": f"kec-{n}", "name": "Kecamatan Baru", "timezone": "WIB"},
     expect({"pemilik"}, 201)),
    ("get", "/api/v1/offices/demo/config", None, expect(SUPERVISORS_UP, 200)),
    ("patch", "/api/v1/offices/demo", lambda n: {"running_text": f"Selamat datang {n}"},
     expect(WHOLE_OFFICE_ADMINS, 200)),
    ("patch", "/api/v1/offices/demo", lambda n: {"closed": True}, expect(WHOLE_OFFICE_ADMINS | {"supervisor"}, 200)),
    ("post", "/api/v1/offices/demo/zones", lambda n: {"name": f"Zona {n}", "agency": "Imigrasi"},
     expect(WHOLE_OFFICE_ADMINS, 201)),
    ("patch", "/api/v1/zones/{zone}", lambda n: {"agency": f"Disdukcapil {n}"}, expect(WHOLE_OFFICE_ADMINS, 200)),
    ("get", "/api/v1/offices/demo/hours", None, expect(SUPERVISORS_UP, 200)),
    ("put", "/api/v1/offices/demo/hours", lambda n: HOURS, expect(WHOLE_OFFICE_ADMINS, 200)),
    ("get", "/api/v1/offices/demo/kiosks", None, expect(SUPERVISORS_UP, 200)),
    ("post", "/api/v1/offices/demo/kiosks", lambda n: {"name": f"k-{n}", "paper": 58}, expect(WHOLE_OFFICE_ADMINS, 201)),
    ("post", "/api/v1/offices/demo/kiosks", lambda n: {"name": f"k-{n}", "zone_id": "{zone}"},
     expect(WHOLE_OFFICE_ADMINS | {"admin-dukcapil"}, 201)),
    ("patch", "/api/v1/kiosks/{lobi}", lambda n: {"paper": 58}, expect(WHOLE_OFFICE_ADMINS, 200)),
    ("patch", "/api/v1/kiosks/{dukcapil}", lambda n: {"printer": "network:10.0.0.9"},
     expect(WHOLE_OFFICE_ADMINS | {"admin-dukcapil"}, 200)),
    ("get", "/api/v1/offices/demo/displays", None, expect(SUPERVISORS_UP, 200)),
    ("post", "/api/v1/offices/demo/displays", lambda n: {"name": f"d-{n}", "services": ["A", "B"]},
     expect(WHOLE_OFFICE_ADMINS, 201)),
    ("patch", "/api/v1/displays/{tv}", lambda n: {"repeat": 2, "language": "id,en"}, expect(WHOLE_OFFICE_ADMINS, 200)),
    ("delete", "/api/v1/displays/{tv}", None, expect(WHOLE_OFFICE_ADMINS, 204)),
    ("delete", "/api/v1/kiosks/{dukcapil}", None, expect(WHOLE_OFFICE_ADMINS | {"admin-dukcapil"}, 204)),
]


@pytest.mark.parametrize("method, path, body, outcomes", CASES,
                         ids=[f"{m} {p} {i}" for i, (m, p, *_rest) in enumerate(CASES)])
@pytest.mark.parametrize("role", ROLES)
def test_each_endpoint_answers_each_role_of_each_office_as_the_permission_table_says(
        client, demo, people, devices_of_demo, method, path, body, outcomes, role):
    ids = devices_of_demo
    payload = body(role) if body else None
    if isinstance(payload, dict) and payload.get("zone_id") == "{zone}":
        payload["zone_id"] = ids["zone"]
    response = getattr(client, method)(path.format(**ids), json=payload, headers=people[role])
    assert response.status_code == outcomes[role], response.get_json()
    if response.status_code == 403:
        assert response.get_json()["error"]["code"] == "forbidden"


def test_an_unknown_office_or_device_is_404_and_no_credentials_401(client, demo, people):
    admin = people["pemilik"]
    assert client.get("/api/v1/offices/nowhere/config", headers=admin).status_code == 404
    assert client.patch("/api/v1/offices/nowhere", json={"name": "X"}, headers=admin).status_code == 404
    assert client.put("/api/v1/offices/nowhere/hours", json=HOURS, headers=admin).status_code == 404
    assert client.patch("/api/v1/kiosks/999", json={"paper": 58}, headers=admin).get_json()["error"]["code"] \
        == "device_not_found"
    assert client.patch("/api/v1/zones/999", json={"name": "X"}, headers=admin).status_code == 404
    assert client.post("/api/v1/offices", json={"slug": "x", "name": "X", "timezone": "WIB"}).status_code == 401


def test_the_public_office_list_stays_public(client, demo, people):
    assert [o["slug"] for o in client.get("/api/v1/offices").get_json()] == ["demo", "lain"]


@pytest.mark.parametrize("body, status, field", [
    ({"slug": "Kec Baru!", "name": "Baru", "timezone": "WIB"}, 422, "slug"),
    ({"slug": "baru", "name": "Baru", "timezone": "Asia/Singapore"}, 422, "WIB"),
    ({"slug": "baru", "name": "", "timezone": "WIB"}, 422, "name"),
    ({"slug": "demo", "name": "Lagi", "timezone": "WIB"}, 409, "demo"),
])
def test_a_bad_or_taken_office_is_refused_with_a_clear_message(client, demo, people, body, status, field):
    response = client.post("/api/v1/offices", json=body, headers={**people["pemilik"], "Accept-Language": "en"})
    assert response.status_code == status and field in response.get_json()["error"]["message"]
    with demo.read() as s:
        assert s.execute(select(func.count()).select_from(Office)).scalar_one() == 2


@pytest.mark.parametrize("path, body, status", [
    ("/api/v1/offices/demo/zones", {"name": "Dukcapil"}, 409),
    ("/api/v1/offices/demo/kiosks", {"name": "lobi"}, 409),
    ("/api/v1/offices/demo/displays", {"name": "tv"}, 409),
    ("/api/v1/offices/demo/kiosks", {"name": "k2", "printer": "lpt1"}, 422),
    ("/api/v1/offices/demo/kiosks", {"name": "k2", "paper": 57}, 422),
    ("/api/v1/offices/demo/kiosks", {"name": "k2", "zone_id": 999}, 404),
    ("/api/v1/offices/demo/displays", {"name": "d2", "services": ["Z"]}, 404),
    ("/api/v1/offices/demo/displays", {"name": "d2", "language": "fr"}, 422),
    ("/api/v1/offices/demo/displays", {"name": "d2", "repeat": 4}, 422),
    ("/api/v1/offices/demo/displays", {"name": "d2", "colour": "red"}, 422),
])
def test_duplicate_names_and_bad_device_fields_are_refused_and_nothing_is_written(
        client, demo, people, devices_of_demo, path, body, status):
    before = client.get("/api/v1/offices/demo/config", headers=people["admin"]).get_json()
    kiosks = client.get("/api/v1/offices/demo/kiosks", headers=people["admin"]).get_json()
    response = client.post(path, json=body, headers=people["admin"])
    assert response.status_code == status and response.get_json()["error"]["message"]
    assert client.get("/api/v1/offices/demo/config", headers=people["admin"]).get_json() == before
    assert client.get("/api/v1/offices/demo/kiosks", headers=people["admin"]).get_json() == kiosks


def test_overlapping_hours_are_refused_and_the_old_hours_stay(client, demo, people):
    admin = people["admin"]
    old = client.get("/api/v1/offices/demo/hours", headers=admin).get_json()
    overlapping = HOURS + [{"weekday": 1, "opens": "14:00", "closes": "16:00"}]
    response = client.put("/api/v1/offices/demo/hours", json=overlapping, headers={**admin, "Accept-Language": "en"})
    assert response.status_code == 422
    assert "08:00-15:00 overlaps 14:00-16:00" in response.get_json()["error"]["message"]
    assert client.get("/api/v1/offices/demo/hours", headers=admin).get_json() == old
    assert audit_entries(demo, "hours.set") == []


def test_two_periods_of_a_day_are_kept_with_their_breaks_and_kinds(client, demo, people):
    week = [{"weekday": 5, "opens": "07:30", "closes": "11:30", "walk_ins": True, "appointments": False},
            {"weekday": 5, "opens": "13:30", "closes": "16:00", "breaks": [["14:30", "14:45"]]}]
    response = client.put("/api/v1/offices/demo/hours", json=week, headers=people["admin"])
    assert response.status_code == 200
    assert response.get_json() == [
        {"weekday": 5, "opens": "07:30", "closes": "11:30", "breaks": [], "walk_ins": True, "appointments": False},
        {"weekday": 5, "opens": "13:30", "closes": "16:00", "breaks": [["14:30", "14:45"]], "walk_ins": True,
         "appointments": True}]


def test_each_change_is_in_the_audit_log_with_before_and_after_and_tells_the_screens_once(
        client, demo, people):
    events = []
    demo.add_listener(events.extend)
    admin = people["admin"]
    client.patch("/api/v1/offices/demo", json={"running_text": "Libur besok", "max_calls": 5}, headers=admin)
    zone = client.post("/api/v1/offices/demo/zones", json={"name": "Imigrasi"}, headers=admin).get_json()
    client.put("/api/v1/offices/demo/hours", json=HOURS, headers=admin)
    kiosk = client.post("/api/v1/offices/demo/kiosks", json={"name": "k1", "zone_id": zone["id"]},
                        headers=admin).get_json()
    client.patch(f"/api/v1/kiosks/{kiosk['id']}", json={"paper": 58}, headers=admin)
    client.delete(f"/api/v1/kiosks/{kiosk['id']}", headers=admin)
    client.patch("/api/v1/offices/demo", json={"max_calls": 5}, headers=admin)   # no change: no entry

    [office] = audit_entries(demo, "office.updated")
    assert office.username == "admin" and office.changes["max_calls"] == [3, 5]
    assert office.changes["running_text"][1] == "Libur besok"
    assert audit_entries(demo, "zone.created")[-1].changes == {"name": "Imigrasi", "agency": ""}
    assert "1 08:00-15:00 (12:00-13:00) walk-ins, appointments" in audit_entries(demo, "hours.set")[0].changes["hours"][1]
    updated = audit_entries(demo, "device.updated")[0]
    assert updated.changes == {"paper": [80, 58]} and updated.zone_id == zone["id"] and updated.target == "kiosk:k1"
    assert audit_entries(demo, "device.removed")[0].changes["name"] == ["k1", None]
    configured = [e for e in events if e.type == "office.configured"]
    assert [e.data["what"] for e in configured] == ["office", "zone", "hours", "device", "device", "device"]
    assert all(e.office_slug == "demo" for e in configured)


def test_a_supervisor_closes_the_office_by_hand_but_may_not_rename_it(client, demo, people):
    pair_browser(client, demo)
    supervisor = people["supervisor"]
    assert client.patch("/api/v1/offices/demo", json={"closed": True}, headers=supervisor).get_json()["closed"]
    assert client.post("/api/v1/offices/demo/tickets", json={"service": "A"}).status_code == 409
    refused = client.patch("/api/v1/offices/demo", json={"closed": False, "name": "X"}, headers=supervisor)
    assert refused.status_code == 403
    assert client.get("/api/v1/offices/demo/config", headers=supervisor).get_json()["closed"] is True


def test_a_wita_office_set_up_through_the_api_numbers_tickets_on_its_own_local_date(client, demo, people, clock):
    owner = people["pemilik"]
    created = client.post("/api/v1/offices", json={"slug": "kec-panakkukang", "name": "Kecamatan Panakkukang",
                                                   "timezone": "WITA", "address": "Makassar"}, headers=owner)
    assert created.status_code == 201 and created.get_json()["timezone"] == "Asia/Makassar"
    # Nothing is issued before the office is set up.
    pair_browser(client, demo, "kec-panakkukang", "lobi")
    assert client.post("/api/v1/offices/kec-panakkukang/tickets", json={"service": "A"}).status_code == 404
    week = [{"weekday": day, "opens": "00:00", "closes": "24:00"} for day in range(1, 8)]
    assert client.put("/api/v1/offices/kec-panakkukang/hours", json=week, headers=owner).status_code == 200
    with demo.write() as uow:
        office = uow.session.execute(select(Office).where(Office.slug == "kec-panakkukang")).scalar_one()
        service = Service(office_id=office.id, prefix="A", name_id="KTP-el", name_en="ID card")
        counter = Counter(office_id=office.id, number=1, name="Loket 1", state=CounterState.OPEN)
        uow.session.add_all([service, counter])
        uow.session.flush()
        uow.session.add(CounterService(counter_id=counter.id, service_id=service.id))
    clock.current = datetime(2026, 11, 26, 16, 30, tzinfo=timezone.utc)   # 00:30 WITA on Friday the 27th
    ticket = client.post("/api/v1/offices/kec-panakkukang/tickets", json={"service": "A"})
    assert ticket.status_code == 201 and ticket.get_json()["number"] == "A-001"
    with demo.read() as s:
        assert s.execute(select(Ticket.business_date)).scalar_one() == date(2026, 11, 27)


def test_a_new_office_has_no_services_counters_or_hours(client, demo, people):
    client.post("/api/v1/offices", json={"slug": "baru", "name": "Baru", "timezone": "WIT"}, headers=people["pemilik"])
    with demo.read() as s:
        office_id = s.execute(select(Office.id).where(Office.slug == "baru")).scalar_one()
        for model in (Service, Counter, OpeningHours, Kiosk, Display):
            assert s.execute(select(func.count()).select_from(model).where(model.office_id == office_id)).scalar_one() == 0


def test_the_openapi_document_lists_the_administration_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/offices"])
    assert {"get", "put"} <= set(paths["/offices/{office}/hours"])
    assert {"patch", "delete"} <= set(paths["/displays/{id}"])


def test_the_use_cases_keep_their_rules_on_sqlite_and_postgresql(any_db, clock):
    from queueapp.domain import errors
    from queueapp.domain.setup import period
    from queueapp.services import offices
    offices.create_office(any_db, None, slug="kec-biak", name="Distrik Biak", timezone="WIT", now=clock())
    with pytest.raises(errors.AlreadyExists):
        offices.create_office(any_db, None, slug="kec-biak", name="Lagi", timezone="WIT", now=clock())
    offices.set_hours(any_db, None, "kec-biak", [period(1, "08:00", "15:00", "12:00-13:00")], now=clock())
    offices.set_hours(any_db, None, "kec-biak", [period(day, "07:30", "14:00") for day in (1, 2)], now=clock())
    with pytest.raises(errors.InvalidInput):
        offices.set_hours(any_db, None, "kec-biak", [period(1, "07:30", "14:00"), period(1, "13:00", "16:00")],
                          now=clock())
    kiosk = devices.add_kiosk(any_db, None, "kec-biak", {"name": "lobi", "printer": "file:/dev/usb/lp0"}, now=clock())
    with pytest.raises(errors.AlreadyExists):
        devices.add_kiosk(any_db, None, "kec-biak", {"name": "lobi"}, now=clock())
    devices.remove_kiosk(any_db, None, kiosk, now=clock())
    with any_db.read() as s:
        assert s.execute(select(OpeningHours.weekday, OpeningHours.opens)).all() == [(1, "07:30"), (2, "07:30")]
        assert s.execute(select(Kiosk)).first() is None
        assert s.execute(select(Office.timezone)).scalar_one() == "Asia/Jayapura"
    with any_db.read() as s:
        actions = s.execute(select(AuditEntry.action, AuditEntry.username).where(AuditEntry.action == "hours.set")).all()
    assert actions == [("hours.set", "(command line)")] * 2
