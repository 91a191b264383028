"""The supervisor's dashboard: its figures for a known morning, zones, and who may act from it."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from queueapp.domain import errors
from queueapp.domain.events import EventType
from queueapp.domain.permissions import Actor
from queueapp.models import Counter, Office, Service, StaffUser, TicketEvent, Zone
from queueapp.queries import dashboard
from queueapp.services import alerts as alert_ops
from queueapp.services import counters, staff, tickets

from ..support import log_in

WIB = timezone(timedelta(hours=7))


def at(hhmm: str) -> datetime:
    """Monday 23 November 2026 at a time in Jakarta."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 11, 23, hours, minutes, tzinfo=WIB)


def actor(db, username: str) -> Actor:
    with db.read() as s:
        user = s.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one()
        return Actor(staff_id=user.id, office_id=user.office_id, role=user.role.value, zone_id=user.zone_id,
                     username=user.username)


def counter_id(db, number: int) -> int:
    with db.read() as s:
        return s.execute(select(Counter.id).where(Counter.number == number)).scalar_one()


def morning(db) -> None:
    """08:00-08:30 four tickets (A, A, B, C); counter 4 paused at 08:30; counter 1 serves
    A-001 08:40-08:50 and calls A-002 at 08:55, a no-show at 08:56; counter 2 calls B-001 at 09:00."""
    for prefix, time in (("A", "08:00"), ("A", "08:10"), ("B", "08:20"), ("C", "08:30")):
        tickets.issue_ticket(db, "demo", prefix, now=at(time))
    counters.set_counter_state(db, actor(db, "supervisor"), counter_id(db, 4), "paused", now=at("08:30"))
    loket1, loket2 = actor(db, "loket1"), actor(db, "loket2")
    first = counters.call_next(db, loket1, counter_id(db, 1), now=at("08:40")).ticket_id
    tickets.start(db, loket1, first, now=at("08:45"))
    tickets.finish(db, loket1, first, now=at("08:50"))
    second = counters.call_next(db, loket1, counter_id(db, 1), now=at("08:55")).ticket_id
    tickets.no_show(db, loket1, second, now=at("08:56"))
    counters.call_next(db, loket2, counter_id(db, 2), now=at("09:00"))


def view(db, username="supervisor", moment="09:40", pause=15) -> dict:
    return dashboard.dashboard(db, actor(db, username), "demo", at(moment), pause_alert_minutes=pause)


def test_the_dashboard_of_a_known_morning(any_db, demo):
    morning(demo)
    snap = view(demo)
    services = {s["code"]: s for s in snap["services"]}
    assert (services["A"]["waiting"], services["A"]["served"], services["A"]["no_show"]) == (0, 1, 1)
    assert services["A"]["longest_wait_seconds"] is None and not services["A"]["breach"]
    assert services["B"]["waiting"] == 0 and services["B"]["issued"] == 1
    # C-001 waits since 08:30: 70 minutes at 09:40, past its 60-minute target.
    assert services["C"]["waiting"] == 1 and services["C"]["longest_wait_seconds"] == 70 * 60
    assert services["C"]["target_wait_minutes"] == 60 and services["C"]["breach"]
    # Counters 3 and 5 serve C and are free: one takes C-001, the other a newcomer at once
    # (the kiosk's ETA, "served soon").
    assert services["C"]["counters_open"] == 2 and services["C"]["eta_minutes"] == 0
    rows = {c["number"]: c for c in snap["counters"]}
    assert rows[1]["current"] is None and rows[1]["served"] == 1
    assert rows[1]["idle_seconds"] == 44 * 60 and rows[1]["clerk"]["name"] == "Petugas Loket 1"
    assert rows[2]["current"]["number"] == "B-001" and rows[2]["current"]["status"] == "called"
    assert rows[2]["current"]["serving_seconds"] == 40 * 60 and rows[2]["idle_seconds"] is None
    assert rows[2]["clerk"]["name"] == "Petugas Loket 2"
    assert rows[4]["state"] == "paused" and rows[4]["pause_breach"] and rows[4]["served"] == 0
    assert snap["totals"] == {"issued": 4, "waiting": 1, "at_counters": 1, "on_hold": 0, "served": 1,
                              "no_show": 1, "cancelled": 0}
    assert snap["arrivals_by_hour"][8] == 4 and sum(snap["arrivals_by_hour"]) == 4 and snap["hour_now"] == 9
    assert [a["key"] for a in snap["alerts"]] == ["wait_over_target:C", "counter_paused:4"]
    assert snap["alerts"][0] == {"key": "wait_over_target:C", "kind": "wait_over_target", "subject": "C",
                                 "minutes": 70, "limit_minutes": 60}
    assert [t["number"] for t in snap["tickets"]] == ["C-001"]


def test_before_the_target_and_the_pause_limit_nothing_alerts(any_db, demo):
    morning(demo)
    snap = view(demo, moment="09:30")    # C waited exactly 60 minutes; counter 4 paused 60
    assert not any(s["breach"] for s in snap["services"])
    assert [a["key"] for a in snap["alerts"]] == ["counter_paused:4"]
    assert view(demo, moment="09:30", pause=0)["alerts"] == []


def test_alerts_are_announced_once_and_cleared_when_the_wait_ends(any_db, demo):
    morning(demo)
    office_id = _office_id(demo)
    found = dashboard.office_alerts(demo, at("09:40"), pause_alert_minutes=15)[office_id]
    assert alert_ops.announce_alerts(demo, office_id, found, now=at("09:40")) == 2
    assert alert_ops.announce_alerts(demo, office_id, found, now=at("09:41")) == 0
    counters.call_next(demo, actor(demo, "loket3"), counter_id(demo, 3), now=at("09:42"))
    counters.set_counter_state(demo, actor(demo, "supervisor"), counter_id(demo, 4), "open", now=at("09:42"))
    found = dashboard.office_alerts(demo, at("09:43"), pause_alert_minutes=15)[office_id]
    assert found == [] and alert_ops.announce_alerts(demo, office_id, found, now=at("09:43")) == 2
    with demo.read() as s:
        log = s.execute(select(TicketEvent.type, TicketEvent.data).where(
            TicketEvent.type.in_(["alert.raised", "alert.cleared"])).order_by(TicketEvent.seq)).all()
    assert [(t, d["key"]) for t, d in log] == [
        (EventType.ALERT_RAISED.value, "wait_over_target:C"), (EventType.ALERT_RAISED.value, "counter_paused:4"),
        (EventType.ALERT_CLEARED.value, "counter_paused:4"), (EventType.ALERT_CLEARED.value, "wait_over_target:C")]


def _office_id(db) -> int:
    with db.read() as s:
        return s.execute(select(Office.id).where(Office.slug == "demo")).scalar_one()


@pytest.fixture
def zones(demo):
    """Zone Dukcapil holds service D and counter 4; zone Samsat service E; supervisor `zsup` in Dukcapil."""
    with demo.write() as uow:
        s = uow.session
        office_id = s.execute(select(Office.id).where(Office.slug == "demo")).scalar_one()
        dukcapil, samsat = Zone(office_id=office_id, name="Dukcapil"), Zone(office_id=office_id, name="Samsat")
        s.add_all([dukcapil, samsat])
        s.flush()
        s.execute(update(Service).where(Service.prefix == "D").values(zone_id=dukcapil.id))
        s.execute(update(Service).where(Service.prefix == "E").values(zone_id=samsat.id))
        s.execute(update(Counter).where(Counter.number == 4).values(zone_id=dukcapil.id))
        s.execute(update(Counter).where(Counter.number == 1).values(zone_id=samsat.id))
        ids = dukcapil.id, samsat.id
    staff.create_user(demo, "zsup", "demo12345", office_slug="demo", role="supervisor", zone_id=ids[0])
    return ids


def test_a_zone_supervisor_sees_only_the_services_and_counters_of_their_zone(demo, zones):
    tickets.issue_ticket(demo, "demo", "D", now=at("08:00"))
    tickets.issue_ticket(demo, "demo", "E", now=at("08:00"))
    snap = view(demo, "zsup", "08:30")
    assert [s["code"] for s in snap["services"]] == ["D"]
    assert [c["number"] for c in snap["counters"]] == [4]
    assert snap["totals"]["issued"] == 1 and [t["number"] for t in snap["tickets"]] == ["D-001"]


def test_a_clerk_or_another_office_cannot_see_the_dashboard(demo):
    with pytest.raises(errors.RoleNotAllowed):
        view(demo, "loket1")
    stranger = Actor(staff_id=999, office_id=12345, role="supervisor")
    with pytest.raises(errors.OfficeNotFound):
        dashboard.dashboard(demo, stranger, "demo", at("09:00"), pause_alert_minutes=15)


# --- HTTP: the page, the snapshot and the actions ---


def csrf_header(client) -> dict:
    import re
    page = client.get("/dashboard/demo")
    assert page.status_code == 200
    return {"X-CSRFToken": re.search(rb'name="csrf-token" content="([^"]+)"', page.data).group(1).decode()}


def test_the_page_and_its_json_snapshot_for_a_supervisor(client, demo, clock):
    tickets.issue_ticket(demo, "demo", "A", now=clock())
    log_in(client, "supervisor")
    page = client.get("/dashboard/demo")
    assert page.status_code == 200 and b'id="dashboard-snapshot"' in page.data
    assert b"<script>" not in page.data and b" onclick=" not in page.data
    assert client.get("/dashboard").headers["Location"].endswith("/dashboard/demo")
    snap = client.get("/api/v1/offices/demo/dashboard").get_json()
    assert snap["totals"]["issued"] == 1 and snap["office"]["slug"] == "demo"


def test_a_clerk_gets_403_and_an_unknown_office_404(client, demo):
    log_in(client, "loket1")
    assert client.get("/dashboard/demo").status_code == 403
    response = client.get("/api/v1/offices/demo/dashboard")
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/offices/nowhere/dashboard").status_code == 404
    assert client.get("/api/v1/offices/demo/dashboard", headers={}).status_code == 403


def test_another_offices_supervisor_gets_404(client, demo):
    from queueapp.services.offices import create_office
    create_office(demo, None, slug="lain", name="Kecamatan Lain", timezone="Asia/Makassar",
                  now=datetime.now(timezone.utc))
    staff.create_user(demo, "sup2", "demo12345", office_slug="lain", role="supervisor")
    log_in(client, "sup2")
    assert client.get("/api/v1/offices/demo/dashboard").status_code == 404
    headers = {"X-CSRFToken": _token(client, "/dashboard/lain")}
    response = client.post(f"/api/v1/offices/demo/dashboard/counters/{counter_id(demo, 1)}/state",
                           json={"state": "paused"}, headers=headers)
    assert response.status_code == 404


def _token(client, path):
    import re
    return re.search(rb'name="csrf-token" content="([^"]+)"', client.get(path).data).group(1).decode()


def test_a_supervisor_pauses_a_counter_moves_and_cancels_tickets(client, demo, clock):
    a1 = tickets.issue_ticket(demo, "demo", "A", now=clock()).ticket_id
    a2 = tickets.issue_ticket(demo, "demo", "A", now=clock()).ticket_id
    log_in(client, "supervisor")
    headers = csrf_header(client)
    base = "/api/v1/offices/demo/dashboard"
    paused = client.post(f"{base}/counters/{counter_id(demo, 1)}/state", json={"state": "paused"}, headers=headers)
    assert paused.status_code == 200 and paused.get_json()["state"] == "paused"
    moved = client.post(f"{base}/tickets/{a1}/transfer", json={"service": "B"}, headers=headers)
    assert moved.status_code == 200 and moved.get_json()["service"]["code"] == "B"
    assert "token" not in moved.get_json()
    cancelled = client.post(f"{base}/tickets/{a2}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    again = client.post(f"{base}/tickets/{a2}/cancel", headers=headers)
    assert again.status_code == 409
    assert client.post(f"{base}/tickets/{a1}/cancel").status_code == 400   # no CSRF token
    snap = client.get(base).get_json()
    assert snap["totals"]["cancelled"] == 1 and {c["number"]: c["state"] for c in snap["counters"]}[1] == "paused"


def test_a_clerk_cannot_act_from_the_dashboard(client, demo, clock):
    ticket = tickets.issue_ticket(demo, "demo", "A", now=clock()).ticket_id
    log_in(client, "loket1")
    headers = {"X-CSRFToken": _token(client, f"/counter/{counter_id(demo, 1)}")}
    base = "/api/v1/offices/demo/dashboard"
    assert client.post(f"{base}/counters/{counter_id(demo, 1)}/state", json={"state": "closed"},
                       headers=headers).status_code == 403
    assert client.post(f"{base}/tickets/{ticket}/cancel", headers=headers).status_code == 403


def test_a_zone_supervisor_cannot_touch_another_zones_counter_or_ticket(client, demo, zones, clock):
    own = tickets.issue_ticket(demo, "demo", "D", now=clock()).ticket_id
    other = tickets.issue_ticket(demo, "demo", "E", now=clock()).ticket_id
    log_in(client, "zsup")
    headers = csrf_header(client)
    base = "/api/v1/offices/demo/dashboard"
    refused = client.post(f"{base}/counters/{counter_id(demo, 1)}/state", json={"state": "paused"}, headers=headers)
    assert refused.status_code == 403
    shared = client.post(f"{base}/counters/{counter_id(demo, 2)}/state", json={"state": "paused"}, headers=headers)
    assert shared.status_code == 403    # a counter of no zone is not on a zone's dashboard either
    assert client.post(f"{base}/tickets/{other}/cancel", headers=headers).status_code == 403
    assert client.post(f"{base}/counters/{counter_id(demo, 4)}/state", json={"state": "paused"},
                       headers=headers).status_code == 200
    assert client.post(f"{base}/tickets/{own}/cancel", headers=headers).status_code == 200


# --- The serving process's alert check: events on the staff room ---


def test_the_alert_check_tells_the_staff_room_once_and_clears_on_a_call(app, demo, clock):
    from queueapp.alert_watch import AlertWatch
    from queueapp.extensions import socketio

    from ..conftest import token_for
    tickets.issue_ticket(demo, "demo", "E", now=clock() - timedelta(minutes=31))   # E's target: 30 minutes
    supervisor = socketio.test_client(app, auth={"token": token_for(demo, "supervisor")})
    supervisor.emit("subscribe", {"office": "demo", "staff": True})
    supervisor.get_received()
    watch = AlertWatch(app)
    demo.add_listener(watch.after_commit)
    assert watch.check() == 1 and watch.check() == 0
    events = [m["args"][0] for m in supervisor.get_received() if m["name"] == "event"]
    assert [(e["type"], e["room"]) for e in events] == [("alert.raised", "staff:demo")]
    counters.call_next(demo, actor(demo, "loket4"), counter_id(demo, 4), now=clock())
    assert watch.soon    # a call in an office with an alert: checked at the next second
    assert watch.check() == 1
    types = [m["args"][0]["type"] for m in supervisor.get_received() if m["name"] == "event"]
    # The call first, then what it changed (same seq), then the alert it ended.
    assert types == ["ticket.called", "state.updated", "alert.cleared"]


def test_processes_checking_alerts_at_once_announce_each_change_once(any_db, demo):
    """Each serving process checks; the office lock makes one of them announce."""
    import threading

    from queueapp.db import Database
    morning(demo)
    office_id = _office_id(demo)
    found = dashboard.office_alerts(demo, at("09:40"), pause_alert_minutes=15)[office_id]
    processes = [Database(str(demo.url.render_as_string(hide_password=False))) for _ in range(4)]
    start, recorded, failures = threading.Barrier(len(processes)), [], []

    def check(db):
        try:
            start.wait()
            recorded.append(alert_ops.announce_alerts(db, office_id, found, now=at("09:40")))
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
    threads = [threading.Thread(target=check, args=(db,)) for db in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for db in processes:
        db.dispose()
    assert failures == [] and sorted(recorded) == [0, 0, 0, 2]
    with demo.read() as s:
        raised = s.execute(select(TicketEvent.data).where(TicketEvent.type == "alert.raised")).scalars().all()
    assert sorted(d["key"] for d in raised) == ["counter_paused:4", "wait_over_target:C"]


def test_the_staff_bar_links_supervisors_not_clerks_and_the_page_speaks_english_too(client, demo):
    log_in(client, "loket1")
    assert b'id="dashboard-link"' not in client.get(f"/counter/{counter_id(demo, 1)}").data
    client.post("/logout", data={"csrf_token": _csrf_field(client)})
    log_in(client, "supervisor")
    page = client.get("/dashboard/demo").get_data(as_text=True)
    assert 'id="dashboard-link"' in page and "Kedatangan per jam" in page
    assert "Arrivals per hour" in client.get("/dashboard/demo?lang=en").get_data(as_text=True)


def _csrf_field(client) -> str:
    import re
    page = client.get("/counter").data
    return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()


def test_an_owner_opens_the_first_office_by_name(client, demo):
    staff.create_user(demo, "pemilik", "demo12345", office_slug=None, role="owner")
    log_in(client, "pemilik")
    assert client.get("/dashboard").headers["Location"].endswith("/dashboard/demo")
    assert client.get("/api/v1/offices/demo/dashboard").status_code == 200
