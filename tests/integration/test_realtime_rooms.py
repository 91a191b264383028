"""Room and auth rules of the Socket.IO server, through Flask-SocketIO's test client."""
from queueapp.extensions import socketio

from ..conftest import token_for


def received(client, name):
    return [m["args"][0] for m in client.get_received() if m["name"] == name]


def issue(client, prefix="A", **body):
    return client.post("/api/v1/offices/demo/tickets", json={"service": prefix, **body}).get_json()


def test_the_board_room_gets_a_snapshot_then_every_event_with_a_rising_seq(app, demo, client):
    board = socketio.test_client(app)
    board.emit("subscribe", {"office": "demo"})
    snapshot = received(board, "snapshot")[0]
    assert snapshot["room"] == "office:demo" and snapshot["seq"] == 0
    issue(client), issue(client, "B")
    events = received(board, "event")
    assert [e["seq"] for e in events] == [1, 2]
    assert [e["type"] for e in events] == ["ticket.issued", "ticket.issued"]
    assert events[0]["ticket"]["number"] == "A-001"


def test_public_rooms_never_carry_the_token_or_the_priority_group(app, demo, client):
    board = socketio.test_client(app)
    board.emit("subscribe", {"office": "demo"})
    issue(client, priority="disabilitas")
    event = received(board, "event")[0]
    assert "token" not in event["ticket"] and event["ticket"]["priority"] is True


def test_a_ticket_room_opens_only_with_the_tickets_token(app, demo, client):
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
    events = received(screen, "event")
    assert [e["type"] for e in events] == ["ticket.called"] and events[0]["call_id"]
