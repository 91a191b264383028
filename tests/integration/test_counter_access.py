"""The counter workstation: own office only (pages, API and sockets), CSRF on cookie writes."""
import re

import pytest
from sqlalchemy import select

from queueapp.extensions import socketio
from queueapp.models import Counter, CounterService, CounterState, Office, Service
from queueapp.services import staff

from ..support import set_walk_in_hours
from .. import support
from ..support import pair_browser


def counter_of(db, slug, number):
    with db.read() as s:
        return s.execute(select(Counter.id).join(Office).where(Office.slug == slug,
                                                               Counter.number == number)).scalar_one()


@pytest.fixture
def other_office(demo):
    """A second office (Makassar, WITA) with one counter and its clerk `lain1`."""
    with demo.write() as uow:
        office = Office(slug="lain", name="Kecamatan Lain", timezone="Asia/Makassar")
        uow.session.add(office)
        uow.session.flush()
        set_walk_in_hours(uow.session, office.id, "1234567", "00:00", "24:00")
        service = Service(office_id=office.id, prefix="A", name_id="KTP-el", name_en="ID card")
        counter = Counter(office_id=office.id, number=1, name="Loket Lain 1", state=CounterState.OPEN)
        uow.session.add_all([service, counter])
        uow.session.flush()
        uow.session.add(CounterService(counter_id=counter.id, service_id=service.id))
    staff.create_user(demo, "lain1", "demo12345", office_slug="lain", role="clerk")
    return "lain"


def test_a_clerk_sees_only_the_counters_of_their_own_office(client, demo, other_office):
    log_in(client, "lain1")
    page = client.get("/counter").data
    assert b"Loket Lain 1" in page and b"Loket 2" not in page


def test_a_clerk_cannot_open_or_act_on_another_offices_counter(client, demo, other_office):
    pair_browser(client, demo)
    demo_counter = counter_of(demo, "demo", 1)
    client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    log_in(client, "lain1")
    assert client.get(f"/counter/{demo_counter}").status_code == 403
    own = client.get(f"/counter/{counter_of(demo, 'lain', 1)}")
    assert own.status_code == 200
    headers = {"X-CSRFToken": re.search(rb'name="csrf-token" content="([^"]+)"', own.data).group(1).decode()}
    response = client.post(f"/api/v1/counters/{demo_counter}/call-next", headers=headers)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


def test_the_socket_refuses_another_offices_counter_and_staff_room(app, client, demo, other_office):
    log_in(client, "lain1")
    screen = socketio.test_client(app, flask_test_client=client)
    screen.emit("subscribe", {"counter": counter_of(demo, "demo", 1)})
    screen.emit("subscribe", {"office": "demo", "staff": True})
    errors = [m["args"][0]["code"] for m in screen.get_received() if m["name"] == "error"]
    assert errors == ["forbidden", "forbidden"]
    screen.emit("subscribe", {"counter": counter_of(demo, "lain", 1)})
    assert [m["name"] for m in screen.get_received()] == ["snapshot"]


def test_cookie_writes_need_the_csrf_header_and_work_with_it(client, demo):
    pair_browser(client, demo)
    client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    log_in(client, "loket1")
    cid = counter_of(demo, "demo", 1)
    page = client.get(f"/counter/{cid}")
    assert client.post(f"/api/v1/counters/{cid}/call-next").status_code == 400
    token = re.search(rb'name="csrf-token" content="([^"]+)"', page.data).group(1).decode()
    called = client.post(f"/api/v1/counters/{cid}/call-next", headers={"X-CSRFToken": token})
    assert called.status_code == 200 and called.get_json()["number"] == "A-001"


def test_the_workstation_offers_every_action_and_the_transfer_services(client, demo):
    log_in(client, "loket1")
    page = client.get(f"/counter/{counter_of(demo, 'demo', 1)}").data.decode()
    for action in ("call-next", "recall", "start", "finish", "no_show", "hold"):   # Action values
        assert f'data-action="{action}"' in page
    assert page.count('<option value="') == 6 and 'data-state="paused"' in page


def log_in(client, username):
    assert support.log_in(client, username).status_code == 302
