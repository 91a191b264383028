"""The catalog API: who may read and change services and counters (every role, in its own
office and in another), clear refusals that write nothing, an audit entry and one
`office.configured` event per change, and a new service a kiosk can issue and a new
counter can call."""
import pytest

from .catalog_fixtures import audit_entries, cast, counts
from ..support import pair_browser

SERVICE = {"code": "G", "name": "Kartu Identitas Anak (KIA)", "expected_minutes": 6}
COUNTER = {"number": 9, "name": "Loket KIA", "services": {"G": 1, "A": 2}}


@pytest.fixture
def people(demo):
    return cast(demo)


def counter_id(client, number, slug="demo"):
    return next(c["id"] for c in client.get(f"/api/v1/offices/{slug}/counters").get_json() if c["number"] == number)


def error_of(response):
    return response.get_json()["error"]


# --- who may do what: every endpoint x role x office ---

EVERYONE = ["owner", "admin", "supervisor", "clerk", "other-admin", "other-supervisor", "other-clerk"]
CONFIGURE = {"owner", "admin"}
OPERATE = {"owner", "admin", "supervisor"}

CALLS = {
    "read services": ("get", "/api/v1/offices/demo/services/config", None, CONFIGURE, 200),
    "add a service": ("post", "/api/v1/offices/demo/services", SERVICE, CONFIGURE, 201),
    "change a service": ("patch", "/api/v1/offices/demo/services/A", {"fee": "Rp0"}, CONFIGURE, 200),
    "read counters": ("get", "/api/v1/offices/demo/counters/config", None, OPERATE, 200),
    "add a counter": ("post", "/api/v1/offices/demo/counters", {"number": 9, "services": {"A": 1}}, CONFIGURE, 201),
    "change a counter": ("patch", "/api/v1/counters/{counter}", {"name": "Loket Depan"}, CONFIGURE, 200),
    "open or close a counter": ("patch", "/api/v1/counters/{counter}", {"state": "paused"}, OPERATE, 200),
}


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("call", list(CALLS))
def test_each_endpoint_answers_only_the_roles_the_permission_table_allows(client, demo, people, call, who):
    method, url, body, allowed, status = CALLS[call]
    before = counts(demo)
    url = url.format(counter=counter_id(client, 1))
    response = getattr(client, method)(url, json=body, headers=people[who])
    if who in allowed:
        assert response.status_code == status, response.get_json()
    else:
        assert response.status_code == 403 and error_of(response)["code"] == "forbidden"
        assert counts(demo) == before


def test_an_office_that_does_not_exist_is_404(client, demo, people):
    for method, url, body in [("get", "/api/v1/offices/nowhere/services/config", None),
                              ("get", "/api/v1/offices/nowhere/counters/config", None),
                              ("post", "/api/v1/offices/nowhere/services", SERVICE),
                              ("patch", "/api/v1/offices/nowhere/services/A", {"fee": "Rp0"}),
                              ("post", "/api/v1/offices/nowhere/counters", COUNTER)]:
        response = getattr(client, method)(url, json=body, headers=people["owner"])
        assert response.status_code == 404 and error_of(response)["code"] == "office_not_found", url
    assert client.patch("/api/v1/counters/999999", json={"state": "open"},
                        headers=people["owner"]).status_code == 404


def test_the_catalog_needs_a_staff_token(client, demo):
    assert client.get("/api/v1/offices/demo/services/config").status_code == 401
    assert client.post("/api/v1/offices/demo/services", json=SERVICE).status_code == 401


# --- agencies of a Mal Pelayanan Publik ---

def test_an_agency_admin_configures_its_own_zone_only(client, demo, people):
    zones, dukcapil = people["zones"], people["dukcapil-admin"]
    own = client.post("/api/v1/offices/demo/services", headers=dukcapil,
                      json={**SERVICE, "zone_id": zones["Dukcapil"]})
    assert own.status_code == 201 and own.get_json()["zone_id"] == zones["Dukcapil"]
    assert client.patch("/api/v1/offices/demo/services/K", json={"fee": "Rp0"}, headers=dukcapil).status_code == 200
    counter = client.post("/api/v1/offices/demo/counters", headers=dukcapil,
                          json={"number": 20, "services": {"K": 1, "G": 2}, "zone_id": zones["Dukcapil"]})
    assert counter.status_code == 201
    moved = client.patch(f"/api/v1/counters/{counter.get_json()['id']}", json={"name": "Dukcapil 1"},
                         headers=dukcapil)
    assert moved.status_code == 200 and moved.get_json()["services"] == {"K": 1, "G": 2}


def test_an_agency_admin_may_not_touch_another_agency_or_the_whole_office(client, demo, people):
    zones, dukcapil = people["zones"], people["dukcapil-admin"]
    before = counts(demo)
    refused = [
        client.patch("/api/v1/offices/demo/services/P", json={"fee": "Rp0"}, headers=dukcapil),
        client.patch("/api/v1/offices/demo/services/A", json={"fee": "Rp0"}, headers=dukcapil),
        client.post("/api/v1/offices/demo/services", json=SERVICE, headers=dukcapil),
        client.post("/api/v1/offices/demo/services", json={**SERVICE, "zone_id": zones["Imigrasi"]},
                    headers=dukcapil),
        client.patch("/api/v1/offices/demo/services/K", json={"zone_id": None}, headers=dukcapil),
        client.patch("/api/v1/offices/demo/services/K", json={"zone_id": zones["Imigrasi"]}, headers=dukcapil),
        client.post("/api/v1/offices/demo/counters", json={"number": 20}, headers=dukcapil),
        client.patch(f"/api/v1/counters/{counter_id(client, 1)}", json={"name": "x"}, headers=dukcapil),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert counts(demo) == before


def test_an_agency_admin_reads_its_zone_and_the_shared_services_only(client, demo, people):
    codes = [s["code"] for s in client.get("/api/v1/offices/demo/services/config",
                                           headers=people["dukcapil-admin"]).get_json()]
    assert "K" in codes and "A" in codes and "P" not in codes


def test_a_counter_of_one_zone_cannot_call_another_zones_service(client, demo, people):
    zones = people["zones"]
    response = client.post("/api/v1/offices/demo/counters", headers=people["admin"],
                           json={"number": 20, "services": {"P": 1}, "zone_id": zones["Dukcapil"]})
    assert response.status_code == 422 and "P" in error_of(response)["message"]
    client.post("/api/v1/offices/demo/counters", headers=people["admin"],
                json={"number": 21, "services": {"K": 1}, "zone_id": zones["Dukcapil"]})
    moved = client.patch("/api/v1/offices/demo/services/K", json={"zone_id": zones["Imigrasi"]},
                         headers=people["admin"])
    assert moved.status_code == 422 and "21" in error_of(response := moved)["message"]


def test_a_service_in_an_unknown_zone_is_404(client, demo, people):
    response = client.post("/api/v1/offices/demo/services", json={**SERVICE, "zone_id": 4242},
                           headers=people["admin"])
    assert response.status_code == 404 and error_of(response)["code"] == "zone_not_found"


# --- refusals: clear, in the user's language, nothing half-written ---

@pytest.mark.parametrize("body, field", [
    ({**SERVICE, "code": "G1"}, "kode"),
    ({**SERVICE, "code": ""}, "kode"),
    ({"code": "G"}, "name"),
    ({**SERVICE, "expected_minutes": "ten"}, "expected_minutes"),
    ({**SERVICE, "daily_quota": 0}, "daily_quota"),
    ({**SERVICE, "colour": "red"}, "colour"),
    ({**SERVICE, "booking": {"bookable": True, "slot_minutes": 2}}, "booking.slot_minutes"),
    ({**SERVICE, "booking": {"bookable": True, "horizon_days": 1, "notice_days": 3}}, "booking.horizon_days"),
    ({**SERVICE, "booking": {"online_join": True}}, "booking.online_daily_quota"),
    ({**SERVICE, "booking": {"seats": 3}}, "booking.seats"),
    ({**SERVICE, "active": "yes"}, "active"),
])
def test_a_bad_service_is_422_naming_the_field_and_writes_nothing(client, demo, people, body, field):
    before = counts(demo)
    response = client.post("/api/v1/offices/demo/services", json=body, headers=people["admin"])
    assert response.status_code == 422 and error_of(response)["code"] == "invalid_input"
    assert field in error_of(response)["message"]
    assert counts(demo) == before


@pytest.mark.parametrize("body, field", [
    ({"number": 0}, "number"),
    ({"name": "Tanpa nomor"}, "number"),
    ({"number": 9, "services": ["A"]}, "services"),
    ({"number": 9, "services": {"A": 0}}, "services.A"),
    ({"number": 9, "state": "gone"}, "status harus open"),
    ({"number": 9, "window": 3}, "window"),
])
def test_a_bad_counter_is_422_naming_the_field_and_writes_nothing(client, demo, people, body, field):
    before = counts(demo)
    response = client.post("/api/v1/offices/demo/counters", json=body, headers=people["admin"])
    assert response.status_code == 422 and field in error_of(response)["message"]
    assert counts(demo) == before


def test_a_taken_code_or_number_is_409_and_writes_nothing(client, demo, people):
    before = counts(demo)
    taken = client.post("/api/v1/offices/demo/services", json={**SERVICE, "code": "b"}, headers=people["admin"])
    assert taken.status_code == 409 and error_of(taken)["code"] == "already_exists"
    assert error_of(taken)["message"].startswith("B sudah dipakai")
    renamed = client.patch("/api/v1/offices/demo/services/A", json={"code": "B", "name": "Baru"},
                           headers=people["admin"])
    assert renamed.status_code == 409
    number = client.post("/api/v1/offices/demo/counters", json={"number": 2}, headers=people["admin"])
    assert number.status_code == 409 and "2" in error_of(number)["message"]
    renumbered = client.patch(f"/api/v1/counters/{counter_id(client, 1)}", json={"number": 2, "name": "x"},
                              headers=people["admin"])
    assert renumbered.status_code == 409
    assert counts(demo) == before
    assert client.get("/api/v1/offices/demo/services").get_json()[0]["name"] == "KTP-el (Rekam / Cetak)"


def test_a_counter_with_an_unknown_service_is_404_and_writes_nothing(client, demo, people):
    before = counts(demo)
    response = client.post("/api/v1/offices/demo/counters", json={"number": 9, "services": {"A": 1, "Q": 2}},
                           headers=people["admin"])
    assert response.status_code == 404 and error_of(response)["code"] == "service_not_found"
    assert counts(demo) == before


def test_refusals_speak_english_on_request(client, demo, people):
    response = client.post("/api/v1/offices/demo/services", json={**SERVICE, "code": "A"},
                           headers={**people["admin"], "Accept-Language": "en"})
    assert error_of(response)["message"] == "A is already taken. Choose another code."


# --- each change: one audit entry with before/after, one event for the screens ---

@pytest.fixture
def published(demo):
    events = []
    demo.add_listener(lambda batch: events.extend(batch))
    return events


def test_each_change_writes_one_audit_entry_and_publishes_one_configured_event(client, demo, people, published):
    admin = people["admin"]
    steps = [
        ("service.created", lambda: client.post("/api/v1/offices/demo/services", headers=admin,
                                                json={**SERVICE, "booking": {"bookable": True}})),
        ("service.updated", lambda: client.patch("/api/v1/offices/demo/services/G",
                                                 json={"daily_quota": 40, "booking": {"capacity": 2}},
                                                 headers=admin)),
        ("counter.created", lambda: client.post("/api/v1/offices/demo/counters", json=COUNTER, headers=admin)),
        ("counter.updated", lambda: client.patch(f"/api/v1/counters/{counter_id(client, 9)}",
                                                 json={"services": {"G": 1}}, headers=admin)),
    ]
    for action, step in steps:
        published.clear()
        assert step().status_code in (200, 201)
        assert [e.type for e in published] == ["office.configured"], action
        assert len(audit_entries(demo, action)) == 1, action
    created, = audit_entries(demo, "service.created")
    assert created.username == "admin" and created.target == "service:G"
    assert created.changes["name"] == SERVICE["name"] and created.changes["booking.capacity"] == 4
    updated, = audit_entries(demo, "service.updated")
    assert updated.changes == {"daily_quota": [None, 40], "booking.capacity": [4, 2]}
    assert audit_entries(demo, "counter.updated")[0].changes == {"services": [{"G": 1, "A": 2}, {"G": 1}]}


def test_a_change_that_changes_nothing_publishes_nothing(client, demo, people, published):
    response = client.patch("/api/v1/offices/demo/services/A", json={"name": "KTP-el (Rekam / Cetak)"},
                            headers=people["admin"])
    assert response.status_code == 200 and published == []
    assert audit_entries(demo, "service.updated") == []


def test_a_supervisor_opens_a_counter_and_its_screens_hear_it(client, demo, people, published):
    cid = counter_id(client, 1)
    response = client.patch(f"/api/v1/counters/{cid}", json={"state": "paused"}, headers=people["supervisor"])
    assert response.status_code == 200 and response.get_json()["state"] == "paused"
    assert [(e.type, e.counter_id) for e in published] == [("counter.updated", cid)]
    entry, = audit_entries(demo, "counter.updated")
    assert entry.changes == {"state": ["open", "paused"]} and entry.username == "supervisor"
    assert client.get("/api/v1/offices/demo/counters").get_json()[0]["state"] == "paused"


# --- what a citizen and a clerk notice ---

def test_a_service_added_through_the_api_is_issued_at_the_kiosk_and_called_at_a_new_counter(
        client, demo, people):
    pair_browser(client, demo)
    assert client.post("/api/v1/offices/demo/services", json=SERVICE, headers=people["admin"]).status_code == 201
    kiosk = {s["code"]: s for s in client.get("/api/v1/offices/demo/services").get_json()}
    assert kiosk["G"]["name"] == SERVICE["name"] and kiosk["G"]["open"]
    ticket = client.post("/api/v1/offices/demo/tickets", json={"service": "G"})
    assert ticket.status_code == 201 and ticket.get_json()["number"] == "G-001"
    counter = client.post("/api/v1/offices/demo/counters", json={**COUNTER, "state": "open"},
                          headers=people["admin"])
    assert counter.status_code == 201 and counter.get_json()["name"] == "Loket KIA"
    called = client.post(f"/api/v1/counters/{counter.get_json()['id']}/call-next", headers=people["clerk"])
    assert called.status_code == 200 and called.get_json()["number"] == "G-001"
    assert called.get_json()["counter"]["number"] == 9


def test_a_service_made_bookable_offers_slots(client, demo, people):
    booking = {"bookable": True, "slot_minutes": 30, "capacity": 2, "notice_days": 1, "horizon_days": 7}
    response = client.post("/api/v1/offices/demo/services", json={**SERVICE, "booking": booking},
                           headers=people["admin"])
    assert response.get_json()["booking"] == {**response.get_json()["booking"], **booking}
    slots = client.get("/api/v1/offices/demo/services/G/slots?date=2026-11-24").get_json()
    assert slots[0]["start"] == "2026-11-24T08:00:00+07:00" and slots[0]["capacity"] == 2


def test_a_renamed_code_keeps_its_counters_and_its_next_number(client, demo, people):
    pair_browser(client, demo)
    client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    response = client.patch("/api/v1/offices/demo/services/A", json={"code": "KT"}, headers=people["admin"])
    assert response.status_code == 200 and response.get_json()["counters"] == [1, 2, 5]
    assert client.post("/api/v1/offices/demo/tickets", json={"service": "KT"}).get_json()["number"] == "KT-002"
    assert client.post("/api/v1/offices/demo/tickets", json={"service": "A"}).status_code == 404


def test_the_counter_list_shows_each_counters_services_in_order(client, demo, people):
    rows = client.get("/api/v1/offices/demo/counters/config", headers=people["supervisor"]).get_json()
    assert rows[3]["number"] == 4 and rows[3]["services"] == {"D": 1, "E": 2, "F": 2}


def test_the_api_document_lists_exactly_the_fields_the_catalog_takes(client):
    from queueapp.domain import catalog
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    def fields(path, method):
        return set(paths[path][method]["requestBody"]["content"]["application/json"]["schema"]["properties"])

    assert fields("/offices/{office}/services", "post") == set(catalog.SERVICE_FIELDS)
    assert "get" in paths["/offices/{office}/services"]
    assert fields("/counters/{id}", "patch") == set(catalog.COUNTER_FIELDS)
    booking = paths["/offices/{office}/services/{code}"]["patch"]["requestBody"]["content"]["application/json"]
    assert set(booking["schema"]["properties"]["booking"]["properties"]) == set(catalog.BOOKING_FIELDS)


def test_refusals_name_the_taken_field_and_the_zone_in_indonesian(app):
    from queueapp import messages
    from queueapp.domain import errors
    from queueapp.domain.permissions import Actor, Permission, require
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert messages.for_error(errors.AlreadyExists(value="A", what="code")) == "A sudah dipakai. Pilih kode lain."
        agency_admin = Actor(staff_id=1, office_id=1, role="admin", zone_id=2)
        try:
            require(agency_admin, Permission.CONFIGURE, 1, 3)
        except errors.OutsideZone as refused:
            assert "zona" in messages.for_error(refused)
        else:
            raise AssertionError("another zone's thing was allowed")
        assert "kedaluwarsa" in messages.for_code("csrf_failed")
