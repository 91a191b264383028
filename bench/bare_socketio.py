"""The fan-out ceiling: a bare python-socketio server on the app's server set-up (gunicorn,
one gevent worker) with no database and no app. It answers a subscription with the snapshot
the app sends for that kind of room and, for each call-next and finish request, emits the
messages the app sends for it: to the office room, and to each phone's ticket room. Payloads
and snapshots are captured from the app by bench_fanout.py and handed over in the JSON file
BENCH_BARE (keys "events", "snapshots", "tokens"). With BENCH_REDIS_URL, several processes
share a Redis message queue (and a Redis counter for the seq), as the app's scale-out does.
A ratio to it measures what the app adds to the fan-out, not the machine."""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import socketio

with open(os.environ["BENCH_BARE"]) if os.environ.get("BENCH_BARE") else open(os.devnull) as _file:
    SETUP = json.loads(_file.read() or "{}")
EVENTS, SNAPSHOTS, TOKENS = SETUP.get("events", {}), SETUP.get("snapshots", {}), SETUP.get("tokens", [])
REDIS_URL = os.environ.get("BENCH_REDIS_URL")

if REDIS_URL:
    import redis
    _redis = redis.Redis.from_url(REDIS_URL)
    _SEQ_KEY = os.environ.get("BENCH_REDIS_CHANNEL", "bench-bare") + ":seq"
    manager = socketio.RedisManager(REDIS_URL, channel=os.environ.get("BENCH_REDIS_CHANNEL", "bench-bare"))

    def current_seq() -> int:
        return int(_redis.get(_SEQ_KEY) or 0)

    def next_seq() -> int:
        return int(_redis.incr(_SEQ_KEY))
else:
    manager = None
    _state = {"seq": 0}

    def current_seq() -> int:
        return _state["seq"]

    def next_seq() -> int:
        _state["seq"] += 1
        return _state["seq"]

server = socketio.Server(async_mode="gevent", cors_allowed_origins=[], client_manager=manager)


@server.on("subscribe")
def subscribe(sid, data):
    if "ticket" in data:
        room, state = f"ticket:{data['ticket']}", SNAPSHOTS.get("ticket", {})
    else:
        room, state = f"office:{data.get('office')}", SNAPSHOTS.get("office", {})
    server.enter_room(sid, room)
    server.emit("snapshot", {"room": room, "seq": current_seq(), "office": data.get("office"), "state": state},
                to=sid)


def _emit(kind: str) -> int:
    """The office room's messages of one request (each new seq in it takes the next seq),
    then the phones' message to every ticket room."""
    messages = EVENTS.get(kind) or {"office": [{"type": kind, "seq": 1}], "ticket": None}
    at = datetime.now(timezone.utc).isoformat()
    seqs: dict[int, int] = {}
    for captured in messages["office"]:
        if captured["seq"] not in seqs:
            seqs[captured["seq"]] = next_seq()
        server.emit("event", {**captured, "seq": seqs[captured["seq"]], "at": at}, to=captured.get("room"))
    last = max(seqs.values())
    if messages.get("ticket"):
        for token in TOKENS:
            room = f"ticket:{token}"
            server.emit("event", {**messages["ticket"], "seq": last, "at": at, "room": room}, to=room)
    return last


def http(environ, start_response):
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
    if method == "POST" and path.endswith("/call-next"):
        body = {"id": _emit("ticket.called")}
    elif method == "POST" and path.endswith("/finish"):
        body = {"id": _emit("ticket.finished")}
    else:
        body = {"status": "ok"}
    data = json.dumps(body).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


app = socketio.WSGIApp(server, http)
