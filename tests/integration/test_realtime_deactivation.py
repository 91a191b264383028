"""A member whose sessions end (deactivation, a password reset, a new role) loses their live
sockets at once, and a socket that is still open subscribes to nothing of the staff."""
from queueapp.extensions import socketio
from queueapp.services import staff

from .admin_people_setup import (  # noqa: F401 - fixtures
    db, people, people_template, NOW, log_in)



def received(client, name):
    return [m["args"][0] for m in client.get_received() if m["name"] == name]


def counter_one(client):
    return next(c["id"] for c in client.get("/api/v1/offices/demo/counters").get_json() if c["number"] == 1)


def admin_patch(client, people, username, body):
    response = client.patch(f"/api/v1/staff/{people.ids[username]}", json=body, headers=people.headers("admin"))
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_clerks_token_socket_is_disconnected_when_an_admin_deactivates_the_clerk(app, client, people):
    token = staff.create_token(people.db, "loket1", now=NOW)
    screen = socketio.test_client(app, auth={"token": token})
    screen.emit("subscribe", {"counter": counter_one(client)})
    assert received(screen, "snapshot")
    bystander = socketio.test_client(app, auth={"token": people.tokens["supervisor"]})
    admin_patch(client, people, "loket1", {"active": False})
    assert not screen.is_connected()
    assert bystander.is_connected()
    again = socketio.test_client(app, auth={"token": token})
    again.emit("subscribe", {"counter": counter_one(client)})
    assert received(again, "error")[0]["code"] == "unauthorized"
    again.emit("subscribe", {"office": "demo", "staff": True})
    assert received(again, "error")[0]["code"] == "unauthorized"


def test_a_session_socket_is_disconnected_by_a_password_reset_and_its_cookie_joins_nothing(app, client, people):
    browser = app.test_client()
    log_in(browser, "loket2")
    screen = socketio.test_client(app, flask_test_client=browser)
    screen.emit("subscribe", {"office": "demo", "staff": True})
    assert received(screen, "snapshot")[0]["room"] == "staff:demo"
    admin_patch(client, people, "loket2", {"password": "kata-sandi-baru"})
    assert not screen.is_connected()
    again = socketio.test_client(app, flask_test_client=browser)
    again.emit("subscribe", {"office": "demo", "staff": True})
    assert received(again, "error")[0]["code"] == "unauthorized"


def test_a_new_role_disconnects_the_socket_and_a_new_name_does_not(app, client, people):
    screen = socketio.test_client(app, auth={"token": people.tokens["loket1"]})
    admin_patch(client, people, "loket1", {"display_name": "Petugas Satu"})
    assert screen.is_connected()
    admin_patch(client, people, "loket1", {"role": "supervisor"})
    assert not screen.is_connected()


def test_a_socket_left_open_is_refused_staff_rooms_once_its_member_is_deactivated(app, client, people):
    """Even without the disconnect (e.g. a change made from the command line), the next
    subscription checks the member again."""
    screen = socketio.test_client(app, auth={"token": people.tokens["loket1"]})
    staff.update_staff(people.db, None, people.ids["loket1"], {"active": False}, now=NOW)
    assert screen.is_connected()
    screen.emit("subscribe", {"counter": counter_one(client)})
    assert received(screen, "error")[0]["code"] == "unauthorized"
    screen.emit("subscribe", {"office": "demo"})
    assert received(screen, "snapshot")[0]["room"] == "office:demo"  # the public board stays open


def test_revoking_the_token_a_socket_connected_with_refuses_its_next_subscription(app, client, people):
    made = client.post(f"/api/v1/staff/{people.ids['loket1']}/tokens", json={"name": "layar"},
                       headers=people.headers("admin")).get_json()
    screen = socketio.test_client(app, auth={"token": made["token"]})
    client.delete(f"/api/v1/tokens/{made['id']}", headers=people.headers("admin"))
    assert not screen.is_connected()
    screen.connect(auth={"token": made["token"]})
    screen.emit("subscribe", {"counter": counter_one(client)})
    assert received(screen, "error")[0]["code"] == "unauthorized"
