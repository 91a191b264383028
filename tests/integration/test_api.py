"""The JSON API v1 as a kiosk, a phone and a counter use it."""
import pytest

from ..conftest import token_for
from ..support import pair_browser


def issue(client, **body):
    return client.post("/api/v1/offices/demo/tickets", json={"service": "A", **body})


def counter_id(client, number):
    return next(c["id"] for c in client.get("/api/v1/offices/demo/counters").get_json() if c["number"] == number)


def test_health_answers_ok_when_the_database_answers(client, demo):
    health = client.get("/api/v1/health").get_json()
    assert health["status"] == "ok" and health["database"] == "ok" and health["redis"] == "not_configured"


def test_health_answers_503_when_the_database_is_gone(tmp_path, monkeypatch):
    from queueapp import create_app
    from queueapp.db import Database
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))
    gone = Database("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    app = create_app({"TESTING": True, "SECRET_KEY": "x"}, database=gone)
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable" and response.get_json()["database"] == "unreachable"


def test_offices_and_services_list_what_a_kiosk_shows(client, demo):
    pair_browser(client, demo)
    offices = client.get("/api/v1/offices").get_json()
    assert [o["slug"] for o in offices] == ["demo"] and offices[0]["timezone"] == "Asia/Jakarta"
    issue(client)
    services = client.get("/api/v1/offices/demo/services").get_json()
    ktp = next(s for s in services if s["code"] == "A")
    assert ktp["name"].startswith("KTP-el") and ktp["open"] is True
    assert ktp["waiting"] == 1 and ktp["quota_left"] == 149 and ktp["eta_minutes"] is not None


def test_issuing_a_ticket_returns_201_with_an_absolute_status_url(client, demo):
    pair_browser(client, demo)
    response = issue(client, priority="ibu_hamil", channel="kiosk")
    body = response.get_json()
    assert response.status_code == 201
    assert {"id", "number", "token", "status", "service", "position", "eta_minutes", "status_url"} <= body.keys()
    assert body["number"] == "A-001" and body["status"] == "waiting" and body["priority"] == "ibu_hamil"
    assert body["status_url"] == f"https://antrian.example.go.id/t/{body['token']}"


def test_a_retried_tap_with_the_same_idempotency_key_returns_the_same_ticket(client, demo):
    pair_browser(client, demo)
    first = client.post("/api/v1/offices/demo/tickets", json={"service": "A"}, headers={"Idempotency-Key": "k1"})
    again = client.post("/api/v1/offices/demo/tickets", json={"service": "A"}, headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["id"] == again.get_json()["id"]


def test_the_public_status_shows_no_personal_data_and_the_counter_once_called(client, demo, clerk_headers):
    pair_browser(client, demo)
    ticket = issue(client).get_json()
    status = client.get(f"/api/v1/tickets/{ticket['token']}").get_json()
    assert status["number"] == "A-001" and status["position"] == 0 and status["counter"] is None
    client.post(f"/api/v1/counters/{counter_id(client, 1)}/call-next", headers=clerk_headers)
    status = client.get(f"/api/v1/tickets/{ticket['token']}").get_json()
    assert status["status"] == "called" and status["counter"]["number"] == 1
    assert not {"name", "phone", "nik"} & status.keys()


@pytest.mark.parametrize("body, status, code", [
    ({"service": "Z"}, 404, "service_not_found"),
    ({"service": 7}, 422, "invalid_input"),
    ({}, 422, "invalid_input"),
    ({"service": "A", "priority": "vip"}, 422, "invalid_input"),
    ({"service": ["A"]}, 422, "invalid_input"),
])
def test_bad_ticket_requests_get_a_clear_error_in_one_shape(client, demo, body, status, code):
    pair_browser(client, demo)
    response = client.post("/api/v1/offices/demo/tickets", json=body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code and response.get_json()["error"]["message"]


def test_malformed_json_is_a_400_not_a_500(client, demo):
    pair_browser(client, demo)
    response = client.post("/api/v1/offices/demo/tickets", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"
    response = client.post("/api/v1/offices/demo/tickets", json=["A"])
    assert response.status_code == 400


def test_an_unknown_office_is_404(client, demo):
    pair_browser(client, demo)
    assert client.post("/api/v1/offices/nowhere/tickets", json={"service": "A"}).status_code == 404
    assert client.get("/api/v1/offices/nowhere/board").get_json()["error"]["code"] == "office_not_found"


def test_error_messages_are_indonesian_by_default_and_english_on_request(client, demo):
    pair_browser(client, demo)
    indonesian = client.post("/api/v1/offices/nowhere/tickets", json={"service": "A"}).get_json()
    english = client.post("/api/v1/offices/nowhere/tickets", json={"service": "A"},
                          headers={"Accept-Language": "en"}).get_json()
    assert indonesian["error"]["message"] == "Kantor ini tidak ditemukan."
    assert english["error"]["message"] == "This office does not exist."


def test_a_closed_office_and_the_quota_have_their_own_409_codes(client, demo, clock):
    pair_browser(client, demo)
    from sqlalchemy import select

    from queueapp.models import Office, Service
    with demo.write() as uow:
        office = uow.session.execute(select(Office)).scalar_one()
        office.closed = True
    assert issue(client).get_json()["error"]["code"] == "office_closed"
    with demo.write() as uow:
        uow.session.execute(select(Office)).scalar_one().closed = False
        uow.session.execute(select(Service).where(Service.prefix == "A")).scalar_one().daily_quota = 1
    assert issue(client).status_code == 201
    response = issue(client)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "quota_reached"


def test_staff_endpoints_need_a_token_and_stay_in_the_office(client, demo, app):
    pair_browser(client, demo)
    cid = counter_id(client, 1)
    response = client.post(f"/api/v1/counters/{cid}/call-next")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    bad = client.post(f"/api/v1/counters/{cid}/call-next", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    from queueapp.services import staff
    from queueapp.models import Office
    with demo.write() as uow:
        uow.session.add(Office(slug="lain", name="Kantor Lain", timezone="Asia/Makassar"))
    staff.create_user(demo, "petugas-lain", "teh-manis-hangat", office_slug="lain", role="clerk")
    outsider = {"Authorization": f"Bearer {token_for(demo, 'petugas-lain')}"}
    assert client.post(f"/api/v1/counters/{cid}/call-next", headers=outsider).status_code == 403
    ticket = issue(client).get_json()
    assert client.post(f"/api/v1/tickets/{ticket['id']}/cancel", headers=outsider).status_code == 403


def test_a_counter_calls_serves_and_finishes_through_the_api(client, demo, clerk_headers):
    pair_browser(client, demo)
    cid = counter_id(client, 1)
    empty = client.post(f"/api/v1/counters/{cid}/call-next", headers=clerk_headers)
    assert empty.status_code == 409 and empty.get_json()["error"]["code"] == "queue_empty"
    ticket = issue(client).get_json()
    called = client.post(f"/api/v1/counters/{cid}/call-next", headers=clerk_headers).get_json()
    assert called["id"] == ticket["id"] and called["call_id"]
    for action, status in [("recall", "called"), ("start", "serving"), ("finish", "done")]:
        response = client.post(f"/api/v1/tickets/{ticket['id']}/{action}", headers=clerk_headers)
        assert response.status_code == 200 and response.get_json()["status"] == status
    again = client.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=clerk_headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "illegal_transition"


def test_hold_resume_transfer_and_no_show_through_the_api(client, demo, clerk_headers):
    pair_browser(client, demo)
    ticket = issue(client).get_json()
    tid = ticket["id"]
    assert client.post(f"/api/v1/tickets/{tid}/hold", headers=clerk_headers).get_json()["status"] == "on_hold"
    assert client.post(f"/api/v1/tickets/{tid}/resume", headers=clerk_headers).get_json()["status"] == "waiting"
    moved = client.post(f"/api/v1/tickets/{tid}/transfer", json={"service": "B"}, headers=clerk_headers)
    assert moved.get_json()["service"]["code"] == "B" and moved.get_json()["number"] == "A-001"
    bad = client.post(f"/api/v1/tickets/{tid}/transfer", json={"service": "B", "position": "front"},
                      headers=clerk_headers)
    assert bad.status_code == 422
    called = client.post(f"/api/v1/counters/{counter_id(client, 2)}/call-next", headers=clerk_headers).get_json()
    assert called["id"] == tid
    assert client.post(f"/api/v1/tickets/{tid}/no-show", headers=clerk_headers).get_json()["status"] == "no_show"


def test_call_a_specific_number_and_change_the_counter_state(client, demo, clerk_headers):
    pair_browser(client, demo)
    cid = counter_id(client, 1)
    issue(client), issue(client)
    called = client.post(f"/api/v1/counters/{cid}/call", json={"number": "a-002"}, headers=clerk_headers)
    assert called.status_code == 200 and called.get_json()["number"] == "A-002"
    busy = client.post(f"/api/v1/counters/{cid}/call", json={"number": "A-001"}, headers=clerk_headers)
    assert busy.status_code == 409 and "A-002" in busy.get_json()["error"]["message"]
    client.post(f"/api/v1/tickets/{called.get_json()['id']}/finish", headers=clerk_headers)
    wrong = client.post(f"/api/v1/counters/{cid}/call", json={"number": "Q-001"}, headers=clerk_headers)
    assert wrong.status_code == 404
    paused = client.post(f"/api/v1/counters/{cid}/state", json={"state": "paused"}, headers=clerk_headers)
    assert paused.get_json()["state"] == "paused"
    assert client.post(f"/api/v1/counters/{cid}/state", json={"state": "gone"},
                       headers=clerk_headers).status_code == 422


def test_a_staff_session_must_send_the_csrf_token(app, demo):
    from queueapp.services import staff_login
    from queueapp.web.auth import start_session
    user = staff_login.authenticate(demo, "loket1", "demo12345")

    @app.get("/_test_login")
    def _login():
        start_session(user)
        return "ok"

    client = app.test_client()
    client.get("/_test_login")
    cid = counter_id(client, 1)
    response = client.post(f"/api/v1/counters/{cid}/state", json={"state": "open"})
    assert response.status_code == 400


def test_the_board_snapshot_lists_calls_waiting_and_the_seq(client, demo, clerk_headers):
    pair_browser(client, demo)
    before = client.get("/api/v1/offices/demo/board").get_json()["seq"]   # the demo's set-up events
    issue(client), issue(client, service="B")
    client.post(f"/api/v1/counters/{counter_id(client, 1)}/call-next", headers=clerk_headers)
    board = client.get("/api/v1/offices/demo/board").get_json()
    assert board["seq"] == before + 3
    assert board["calls"][0]["number"] == "A-001" and board["calls"][0]["counter"]["number"] == 1
    assert {s["code"]: s["waiting"] for s in board["services"]}["B"] == 1


def test_the_openapi_document_describes_every_route(client, app):
    import re
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")

    def shape(path):
        return re.sub(r"\{[^}]*\}|<[^>]*>", "{}", path)

    documented = {shape("/api/v1" + path) for path in document["paths"]}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.rule != "/api/v1/openapi.json":
            if "<any(" in rule.rule:
                for action in ("recall", "start", "finish", "no-show", "hold", "resume", "cancel"):
                    assert shape(rule.rule.split("<any(")[0] + action) in documented, action
                continue
            assert shape(rule.rule) in documented, rule.rule


def test_pages_speak_indonesian_unless_the_citizen_switches(client, demo):
    page = client.get("/", headers={"Accept-Language": "en-US,en"}).get_data(as_text=True)
    assert "Kios tiket" in page
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Ticket kiosk" in english
    assert "Ticket kiosk" in client.get("/").get_data(as_text=True)  # the choice is kept


def test_an_id_beyond_the_integer_range_is_a_404_not_a_database_error(client, demo, clerk_headers):
    huge = 10**21
    assert client.post(f"/api/v1/counters/{huge}/call-next", headers=clerk_headers).status_code == 404
    assert client.post(f"/api/v1/tickets/{2**31}/finish", headers=clerk_headers).status_code == 404
