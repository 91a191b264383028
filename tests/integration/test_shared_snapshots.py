"""A room's snapshot is built once per seq and shared: a hall of screens reconnecting at
once after a restart costs one build, and a new event makes the next one fresh."""
import threading
import time

from sqlalchemy import event

from queueapp.extensions import socketio
from queueapp.queries.boards import SnapshotCache
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


def test_screens_arriving_while_a_snapshot_is_built_wait_for_that_build():
    """A reconnect storm: the first screen of a room starts the build; every other screen
    of that room and seq arriving before it ends waits for it instead of building its own."""
    cache = SnapshotCache()
    building, release = threading.Event(), threading.Event()
    builds, results = [], []

    def build():
        builds.append(threading.get_ident())
        building.set()
        release.wait(10)
        return {"calls": []}

    def screen():
        results.append(cache.get("office:demo", (7, "2026-11-28"), build))
    first = threading.Thread(target=screen)
    first.start()
    assert building.wait(10)
    arrived = threading.Barrier(21)
    others = [threading.Thread(target=lambda: (arrived.wait(10), screen())) for _ in range(20)]
    for thread in others:
        thread.start()
    arrived.wait(10)
    time.sleep(0.05)   # let the others reach the room's lock: the order, not a time, is tested
    release.set()
    for thread in [first, *others]:
        thread.join(10)
    assert len(builds) == 1 and len(results) == 21
    assert all(r is results[0] for r in results)


def test_another_seq_or_another_room_builds_anew():
    cache = SnapshotCache()
    built = []

    def build(name):
        return lambda: built.append(name) or {"name": name}
    cache.get("office:demo", (7, "d"), build("a"))
    cache.get("office:demo", (7, "d"), build("b"))
    cache.get("office:demo", (8, "d"), build("c"))
    cache.get("office:other", (8, "d"), build("d"))
    assert built == ["a", "c", "d"]


def test_an_unknown_office_is_refused_with_its_code(app, demo):
    screen = socketio.test_client(app)
    screen.emit("subscribe", {"office": "no-such-office"})
    [error] = [m["args"][0] for m in screen.get_received() if m["name"] == "error"]
    assert error["code"] == "office_not_found"
