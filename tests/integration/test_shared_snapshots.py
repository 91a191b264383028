"""A room's snapshot is built once per seq and shared: a hall of screens reconnecting at
once after a restart costs one build, and a new event makes the next one fresh."""
from sqlalchemy import event

from queueapp.extensions import socketio
from ..support import pair_browser


def statements_of(db, action) -> int:
    executed = []

    def count(conn, cursor, statement, parameters, context, executemany):
        executed.append(statement)
    for engine in (db.engine, db.read_engine):
        event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        for engine in (db.engine, db.read_engine):
            event.remove(engine, "before_cursor_execute", count)
    return len(executed)


def subscribe(app):
    screen = socketio.test_client(app)
    screen.emit("subscribe", {"office": "demo"})
    [snapshot] = [m["args"][0] for m in screen.get_received() if m["name"] == "snapshot"]
    screen.disconnect()
    return snapshot


def test_screens_subscribing_at_one_seq_share_one_snapshot(app, demo, client):
    pair_browser(client, demo)
    client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    snapshots = []
    first = statements_of(demo, lambda: snapshots.append(subscribe(app)))
    others = [statements_of(demo, lambda: snapshots.append(subscribe(app))) for _ in range(20)]
    # Each later screen only looks up the office and its seq.
    assert others == [2] * 20 and first > 2
    assert all(s == snapshots[0] for s in snapshots)


def test_a_new_event_makes_the_next_snapshot_fresh(app, demo, client):
    pair_browser(client, demo)
    before = subscribe(app)
    client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    after = subscribe(app)
    assert after["seq"] == before["seq"] + 1
    waiting = {s["code"]: s["waiting"] for s in after["state"]["services"]}
    assert waiting["A"] == 1
