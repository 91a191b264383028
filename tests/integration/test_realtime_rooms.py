"""Room and auth rules of the Socket.IO server, through Flask-SocketIO's test client."""
from queueapp.extensions import socketio

from ..conftest import token_for
from ..support import pair_browser


def received(client, name):
    return [m["args"][0] for m in client.get_received() if m["name"] == name]


def issue(client, prefix="A", **body):
    return client.post("/api/v1/offices/demo/tickets", json={"service": prefix, **body}).get_json()


def test_the_board_room_gets_a_snapshot_then_every_event_with_a_rising_seq(app, demo, client):
    pair_browser(client, demo)
    board = socketio.test_client(app)
    board.emit("subscribe", {"office": "demo"})
    snapshot = received(board, "snapshot")[0]
    first = snapshot["seq"] + 1        # after the demo's own set-up events
    assert snapshot["room"] == "office:demo"
    issue(client), issue(client, "B")
    events = received(board, "event")
    assert [e["seq"] for e in events] == [first, first + 1]
    assert [e["type"] for e in events] == ["ticket.issued", "ticket.issued"]
    assert events[0]["ticket"]["number"] == "A-001"


def test_public_rooms_never_carry_the_token_or_the_priority_group(app, demo, client):
    pair_browser(client, demo)
    board = socketio.test_client(app)
    board.emit("subscribe", {"office": "demo"})
    issue(client, priority="disabilitas")
    event = received(board, "event")[0]
    assert "token" not in event["ticket"] and event["ticket"]["priority"] is True


def test_a_ticket_room_opens_only_with_the_tickets_token(app, demo, client):
    pair_browser(client, demo)
    ticket = issue(client)
    phone = socketio.test_client(app)
    phone.emit("subscribe", {"ticket": "not-a-real-token"})
    assert received(phone, "error")[0]["code"] == "ticket_not_found"
    phone.emit("subscribe", {"ticket": ticket["token"]})
    snapshot = received(phone, "snapshot")[0]
    assert snapshot["state"]["ticket"]["number"] == "A-001"


def test_staff_rooms_refuse_anonymous_and_foreign_staff(app, demo, client):
    anonymous = socketio.test_client(app)
    anonymous.emit("subscribe", {"office": "demo", "staff": True})
    assert received(anonymous, "error")[0]["code"] == "unauthorized"
    anonymous.emit("subscribe", {"counter": 1})
    assert received(anonymous, "error")[0]["code"] == "unauthorized"


def test_a_clerk_with_a_token_joins_the_counter_room_and_sees_the_call(app, demo, client):
    pair_browser(client, demo)
    token = token_for(demo, "loket1")
    screen = socketio.test_client(app, auth={"token": token})
    counters = client.get("/api/v1/offices/demo/counters").get_json()
    counter_id = next(c["id"] for c in counters if c["number"] == 1)
    screen.emit("subscribe", {"counter": counter_id})
    assert received(screen, "snapshot")[0]["room"] == f"counter:{counter_id}"
    issue(client)
    response = client.post(f"/api/v1/counters/{counter_id}/call-next",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    # Issuing changed the counter's line: "state.updated" brought its screen; then the call,
    # and, with the call's seq, the screen it changed.
    got = received(screen, "event")
    events = [e for e in got if e["type"] != "state.updated"]
    assert [e["type"] for e in events] == ["ticket.called"] and events[0]["call_id"]
    [after] = [e for e in got if e["type"] == "state.updated" and e["seq"] == events[0]["seq"]]
    assert after["screen"]["current"]["number"] == "A-001"


def other_office_token(demo):
    from queueapp.models import Office
    from queueapp.services import staff
    with demo.write() as uow:
        uow.session.add(Office(slug="lain", name="Kantor Lain", timezone="Asia/Jayapura"))
    staff.create_user(demo, "petugas-lain", "teh-manis-hangat", office_slug="lain", role="clerk")
    return token_for(demo, "petugas-lain")


def test_staff_of_another_office_join_nothing_here(app, demo, client):
    pair_browser(client, demo)
    outsider = socketio.test_client(app, auth={"token": other_office_token(demo)})
    outsider.emit("subscribe", {"office": "demo", "staff": True})
    assert received(outsider, "error")[0]["code"] == "forbidden"
    counter_id = client.get("/api/v1/offices/demo/counters").get_json()[0]["id"]
    outsider.emit("subscribe", {"counter": counter_id})
    assert received(outsider, "error")[0]["code"] == "forbidden"
    issue(client)
    assert received(outsider, "event") == []


def test_a_staff_session_cookie_opens_the_staff_room(app, demo):
    from queueapp.services import staff_login
    from queueapp.web.auth import start_session

    @app.get("/_test_login")
    def _login():
        start_session(staff_login.authenticate(demo, "supervisor", "demo12345"))
        return "ok"

    browser = app.test_client()
    browser.get("/_test_login")
    pair_browser(browser, demo)   # the kiosk's cookie, besides the staff session
    screen = socketio.test_client(app, flask_test_client=browser)
    screen.emit("subscribe", {"office": "demo", "staff": True})
    snapshot = received(screen, "snapshot")[0]
    assert snapshot["room"] == "staff:demo" and len(snapshot["state"]["counters"]) == 5
    browser.post("/api/v1/offices/demo/tickets", json={"service": "C"})
    event = received(screen, "event")[0]
    assert event["ticket"]["token"] and event["room"] == "staff:demo"


def test_a_malformed_subscription_is_refused_with_an_error(app, demo):
    board = socketio.test_client(app)
    for bad in ["demo", {"nothing": 1}, {"counter": "x"}]:
        board.emit("subscribe", bad)
        errors = received(board, "error")
        assert errors and errors[0]["code"] in {"bad_request", "unauthorized"}


def test_a_subscription_the_server_cannot_answer_gets_an_error_not_silence(tmp_path, monkeypatch):
    from queueapp import create_app
    from queueapp.db import Database
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))
    gone = Database("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    app = create_app({"TESTING": True, "SECRET_KEY": "x"}, database=gone)
    board = socketio.test_client(app)
    board.emit("subscribe", {"office": "demo"})
    assert received(board, "error")[0]["code"] == "internal_error"


def test_a_counter_id_beyond_the_integer_range_is_a_bad_request(app, demo):
    screen = socketio.test_client(app, auth={"token": token_for(demo, "loket1")})
    screen.emit("subscribe", {"counter": 10**21})
    assert received(screen, "error")[0]["code"] == "bad_request"


def test_the_citizens_answer_is_the_view_the_staff_screens_got_with_the_event(app, demo, client):
    pair_browser(client, demo)
    staff_screen = socketio.test_client(app, auth={"token": token_for(demo, "supervisor")})
    staff_screen.emit("subscribe", {"office": "demo", "staff": True})
    issue(client)                                     # someone ahead, so the view has a position
    answer = issue(client, "A", priority="lansia")
    sent = received(staff_screen, "event")[-1]["ticket"]
    assert sent["number"] == answer["number"] and sent["token"] == answer["token"]
    assert {key: answer[key] for key in sent} == sent
    assert answer["position"] == 0 and answer["status_url"].endswith(answer["token"])


def test_only_a_ticket_room_with_a_phone_in_it_is_sent_the_tickets_events(app, demo, client, monkeypatch):
    pair_browser(client, demo)
    watched = issue(client)
    phone = socketio.test_client(app)
    phone.emit("subscribe", {"ticket": watched["token"]})
    phone.get_received()
    rooms = []
    real_emit = socketio.emit

    def emit(event, payload, **kwargs):
        rooms.append(kwargs.get("to"))
        return real_emit(event, payload, **kwargs)
    monkeypatch.setattr(socketio, "emit", emit)

    unwatched = issue(client)      # a number just issued: nobody has its status page open yet
    assert {"office:demo", "staff:demo"} <= set(rooms)
    assert f"ticket:{unwatched['token']}" not in rooms
    client.post(f"/api/v1/tickets/{watched['token']}/leave")
    assert f"ticket:{watched['token']}" in rooms
    assert received(phone, "event")[-1]["type"] == "ticket.cancelled"
