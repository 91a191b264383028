"""One socket cannot flood the process with subscriptions: it may join a bounded number of
rooms, at a bounded rate; past either it gets an error and is disconnected."""
from __future__ import annotations

import logging

from queueapp.extensions import socketio
from queueapp.realtime import SubscriptionBudget


def names(screen) -> list[str]:
    return [m["name"] for m in screen.get_received()]


def errors_of(screen) -> list[str]:
    return [m["args"][0]["code"] for m in screen.get_received() if m["name"] == "error"]


def test_a_screen_subscribing_to_its_rooms_is_served(app, demo):
    screen = socketio.test_client(app)
    for room in ({"office": "demo"}, {"office": "demo"}, {"office": "demo"}):
        screen.emit("subscribe", room)
    assert names(screen) == ["snapshot"] * 3 and screen.is_connected()


def test_a_flood_of_subscriptions_is_cut_off_after_the_burst_and_logged_once(app, demo, caplog):
    screen = socketio.test_client(app)
    with caplog.at_level(logging.WARNING, logger="queueapp.realtime"):
        for _ in range(50):
            if not screen.is_connected():
                break
            screen.emit("subscribe", {"office": "demo"})
    received = screen.get_received() if screen.is_connected() else []
    assert not screen.is_connected()
    assert len([r for r in caplog.records if "cut off" in r.getMessage()]) == 1
    assert len(received) <= SubscriptionBudget.BURST + 1


def test_past_the_burst_with_no_refill_the_socket_is_disconnected(app, demo):
    app.config["SOCKET_SUBSCRIBES_PER_MINUTE"] = 0
    screen = socketio.test_client(app)
    for _ in range(SubscriptionBudget.BURST):
        screen.emit("subscribe", {"office": "demo"})
    assert names(screen) == ["snapshot"] * SubscriptionBudget.BURST
    screen.emit("subscribe", {"office": "demo"})
    assert not screen.is_connected()


def test_a_socket_joins_at_most_the_set_number_of_rooms(app, demo, client):
    from ..support import pair_browser
    app.config["SOCKET_MAX_ROOMS"] = 2
    pair_browser(client, demo)
    tokens = [client.post("/api/v1/offices/demo/tickets", json={"service": "A"}).get_json()["token"]
              for _ in range(3)]
    screen = socketio.test_client(app)
    screen.emit("subscribe", {"ticket": tokens[0]})
    screen.emit("subscribe", {"ticket": tokens[1]})
    assert names(screen) == ["snapshot", "snapshot"]
    screen.emit("subscribe", {"ticket": tokens[2]})
    assert not screen.is_connected()


def test_the_bucket_refills_with_time():
    budget = SubscriptionBudget(max_rooms=16, per_second=1, at=0.0)
    assert [budget.refusal(0.0) for _ in range(11)][-2:] == [None, "rate_limited"]
    assert budget.refusal(0.5) == "rate_limited"
    assert budget.refusal(1.6) is None
    budget.rooms.update(f"room-{n}" for n in range(16))
    assert budget.refusal(100.0) == "too_many_subscriptions"


def test_a_subscription_holding_a_nul_is_a_bad_request_on_every_database(any_db, demo, app):
    screen = socketio.test_client(app)
    screen.emit("subscribe", {"ticket": "abc\x00def"})
    screen.emit("subscribe", {"office": "de\x00mo"})
    assert errors_of(screen) == ["bad_request", "bad_request"]
