"""The after-commit projector: what its events carry is what a fresh snapshot shows, and
one call costs the same statements whatever the number of screens watching."""
from __future__ import annotations

import random

from sqlalchemy import event, select

from queueapp import repository
from queueapp.domain import errors
from queueapp.extensions import socketio
from queueapp.domain.states import CALLABLE
from queueapp.models import Counter, Ticket
from queueapp.office_cache import OfficeCache
from queueapp.queries import boards, projector
from queueapp.queries.eta import EtaInputs
from queueapp.queries import tickets as ticket_views

from ..conftest import actor_of, token_for
from ..support import counters, tickets
from ..support import pair_browser


def world(db, now):
    """Everything screens show: board rows, every waiting ticket's place, every counter's
    screen, the ticket views, the latest calls."""
    with db.read() as s:
        office = repository.office_by_slug(s, "demo")
        board = boards.board_snapshot(s, office, now)
        waiting = s.execute(select(Ticket).where(Ticket.status.in_(list(CALLABLE)))).scalars()
        # What each phone's own snapshot shows (its view, people ahead counted one by one).
        views = [ticket_views.ticket_view(s, t) for t in waiting]
        return {
            "services": {row["code"]: row for row in board["services"]},
            "calls": board["calls"],
            "places": {v["token"]: {k: v[k] for k in ("id", "position", "eta_minutes", "eta_range")} for v in views},
            "screens": {c.id: boards.counter_screen(s, c, now) for c in office.counters},
        }


def fresh_view(db, ticket_id):
    return ticket_views.ticket(db, ticket_id)


class Recorder:
    """The events of each commit, as the after-commit listeners get them."""

    def __init__(self, db):
        self.batches = []
        db.add_listener(self.batches.append)

    def last(self):
        return self.batches[-1]


def check_projection(db, before, batch, now):
    """Apply the projection of `batch` to `before`: the result is the fresh state."""
    [projection] = projector.project(db, batch)
    after = world(db, now)
    # Board rows: each one the commit changed is in the event, equal to the fresh row.
    sent = {row["code"]: row for row in projection.services}
    for code, row in after["services"].items():
        if row != before["services"].get(code):
            assert sent.get(code) == row, code
        if code in sent:
            assert sent[code] == row, code
    # The latest call, when the commit made one.
    for seq, call in projection.calls.items():
        assert call in after["calls"], call
    # Each waiting ticket whose place moved gets its new place (or its own event's view).
    own = {view["token"]: view for _, view, _ in projection.events if view}
    for token, place in after["places"].items():
        if token in own:
            assert {k: own[token][k] for k in ("position", "eta_minutes", "eta_range")} == \
                {k: place[k] for k in ("position", "eta_minutes", "eta_range")}
        elif place != before["places"].get(token):
            assert projection.places.get(token) == place, token
        if token in projection.places:
            assert projection.places[token] == place
    # Each counter screen that changed is sent whole.
    for counter_id, screen in after["screens"].items():
        if screen != before["screens"].get(counter_id):
            assert projection.screens.get(counter_id) == screen, counter_id
        if counter_id in projection.screens:
            assert projection.screens[counter_id] == screen
    # The events' ticket views are the fresh views.
    for _, view, _ in projection.events:
        if view is not None and view["id"] == projection.events[-1][0].ticket_id:
            assert view == fresh_view(db, view["id"])
    return after


def test_the_projectors_events_equal_what_a_fresh_snapshot_shows(any_db, demo, clock):
    rng = random.Random(14)
    recorder = Recorder(demo)
    clerk = actor_of(demo, "loket1")
    with demo.read() as s:
        counter_ids = list(s.execute(select(Counter.id).order_by(Counter.number)).scalars())
    state = world(demo, clock())
    issued = []
    steps = 0
    for _ in range(60):
        clock.advance(seconds=rng.randint(5, 120))
        action = rng.choice(["issue", "issue", "issue", "call", "call", "finish", "hold", "resume",
                             "transfer", "recall", "cancel", "pause", "open"])
        try:
            if action == "issue":
                issued.append(tickets.issue_ticket(demo, "demo", rng.choice("ABC"), now=clock(),
                                                   priority=rng.choice([None, None, "lansia"]))["id"])
            elif action == "call":
                counters.call_next(demo, clerk, rng.choice(counter_ids[:3]), now=clock())
            elif action in ("pause", "open"):
                counters.set_counter_state(demo, clerk, rng.choice(counter_ids[:3]),
                                           "paused" if action == "pause" else "open", now=clock())
            elif issued:
                ticket_id = rng.choice(issued)
                if action == "transfer":
                    tickets.transfer(demo, clerk, ticket_id, rng.choice("AB"), now=clock())
                else:
                    getattr(tickets, action.replace("-", "_"))(demo, clerk, ticket_id, now=clock())
            else:
                continue
        except (errors.DomainError,):
            continue
        steps += 1
        state = check_projection(demo, state, recorder.last(), clock())
    assert steps > 30


def test_a_call_next_costs_the_same_statements_with_20_or_100_phones_watching(app, demo, client, monkeypatch):
    app.config.update(TICKET_RATE_LIMIT="", TICKET_DEVICE_RATE_LIMIT="")   # 120 tickets from one kiosk
    # The ETA's inputs are read again every EtaInputs.TTL seconds per office and process, not
    # per call: on a slow machine that re-read must not land in the measured call.
    monkeypatch.setattr(EtaInputs, "TTL", 3600.0)
    monkeypatch.setattr(OfficeCache, "TTL", 3600.0)   # the office's services and hours, likewise
    pair_browser(client, demo)
    # The warm-up call: pairing changed the office's devices (caches reload once), and a new
    # token notes its first use (then at most every few minutes): neither is the call's cost.
    token = token_for(demo, "loket1")
    statements_of_a_call(app, demo, client, 2, token)
    counts = {}
    for phones in (20, 100):
        counts[phones] = statements_of_a_call(app, demo, client, phones, token)
    assert counts[20] == counts[100]
    assert counts[100] <= 30


def statements_of_a_call(app, demo, client, phones: int, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    with demo.read() as s:
        counter_id = s.execute(select(Counter.id).where(Counter.number == 1)).scalar_one()
    screens = []
    for _ in range(phones):
        ticket = client.post("/api/v1/offices/demo/tickets", json={"service": "A"}).get_json()
        phone = socketio.test_client(app)
        phone.emit("subscribe", {"ticket": ticket["token"]})
        phone.emit("subscribe", {"office": "demo"})
        screens.append(phone)
    for _ in range(2):   # a display and a kiosk
        board = socketio.test_client(app)
        board.emit("subscribe", {"office": "demo"})
        screens.append(board)
    clerk_screen = socketio.test_client(app, auth={"token": token})
    clerk_screen.emit("subscribe", {"counter": counter_id})
    screens.append(clerk_screen)
    for screen in screens:
        screen.get_received()
    executed = []

    def count(conn, cursor, statement, parameters, context, executemany):
        executed.append(statement)
    engines = [demo.engine, demo.read_engine]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        answer = client.post(f"/api/v1/counters/{counter_id}/call-next", headers=headers)
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)
    assert answer.status_code == 200
    # Every phone heard of its new place; nobody had to ask.
    moved = [m for m in screens[1].get_received() if m["name"] == "event" and m["args"][0].get("place")]
    assert moved and moved[-1]["args"][0]["place"]["position"] >= 0
    client.post(f"/api/v1/tickets/{answer.get_json()['id']}/finish", headers=headers)
    for screen in screens:
        screen.disconnect()
    return len(executed)


def test_public_rooms_get_the_call_with_what_to_say_and_the_changed_counts(app, demo, client):
    pair_browser(client, demo)
    token = token_for(demo, "loket1")
    board = socketio.test_client(app)
    board.emit("subscribe", {"office": "demo"})
    client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    with demo.read() as s:
        counter_id = s.execute(select(Counter.id).where(Counter.number == 1)).scalar_one()
    board.get_received()
    client.post(f"/api/v1/counters/{counter_id}/call-next", headers={"Authorization": f"Bearer {token}"})
    # The call first, alone (the board shows and says it before any estimate is replayed),
    # then, with the same seq, what it changed.
    [called, changed] = [m["args"][0] for m in board.get_received() if m["name"] == "event"]
    assert called["call"]["number"] == "A-001" and "services" not in called
    assert called["call"]["announcement"]["id"]["text"].startswith("Nomor antrian A satu")
    assert called["call"]["announcement"]["en"]["clips"][0] == "chime"
    assert changed["type"] == "state.updated" and changed["seq"] == called["seq"]
    # A's line moved, and with it the estimates of every line sharing a counter with A (the
    # demo's counter 5 serves every service): their rows come along, nobody refetches.
    assert [row["code"] for row in changed["services"]][0] == "A"
    assert {row["code"] for row in changed["services"]} == {"A", "B", "C", "D", "E", "F"}
    assert "token" not in called["ticket"]


def test_a_phone_that_took_a_snapshot_gets_its_next_place_whatever_was_sent_before():
    # Sent place 3 at seq 1; the phone went away, its place moved to 4 unseen (nobody
    # watched its room), it came back with a snapshot showing 4; at seq 3 the place is 3
    # again: that must be sent, not taken for "unchanged since last sent".
    sent = projector.SentPlaces()
    assert sent.changed(1, 1, 1, {"t": {"position": 3}}) == {"t": {"position": 3}}
    assert sent.changed(1, 2, 2, {}) == {}
    sent.forget(1, "t")
    assert sent.changed(1, 3, 3, {"t": {"position": 3}}) == {"t": {"position": 3}}
    assert sent.changed(1, 4, 4, {"t": {"position": 3}}) == {}


def test_a_finish_and_call_in_one_commit_reaches_the_board_in_seq_order(app, demo, client):
    # A clerk who finishes and calls the next in one go makes two events: the board room is
    # gapless, so they must arrive in their order (a gap would make every display resync).
    from queueapp.models import Office
    with demo.write() as uow:
        uow.session.execute(select(Office)).scalar_one().finish_on_call_next = True
    pair_browser(client, demo)
    token = token_for(demo, "loket1")
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2):
        client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    with demo.read() as s:
        counter_id = s.execute(select(Counter.id).where(Counter.number == 1)).scalar_one()
    client.post(f"/api/v1/counters/{counter_id}/call-next", headers=headers)
    board = socketio.test_client(app)
    board.emit("subscribe", {"office": "demo"})
    [snapshot] = [m["args"][0] for m in board.get_received() if m["name"] == "snapshot"]
    client.post(f"/api/v1/counters/{counter_id}/call-next", headers=headers)
    got = [m["args"][0] for m in board.get_received() if m["name"] == "event"]
    seqs = [(e["seq"], e["type"]) for e in got]
    assert [t for _, t in seqs] == ["ticket.finished", "ticket.called", "state.updated"]
    assert [s for s, _ in seqs] == [snapshot["seq"] + 1, snapshot["seq"] + 2, snapshot["seq"] + 2]
    assert got[1]["call"]["number"] == "A-002" and got[2]["services"]
