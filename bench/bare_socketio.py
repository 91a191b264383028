"""The fan-out ceiling: a bare python-socketio server on the app's server set-up (gunicorn,
one gevent worker) that answers a subscription with a snapshot and, for each call-next and
finish request, emits the same event payload the app sends to its board room (captured from
the app by bench_fanout.py and handed over in BENCH_EVENTS), with no database and no app.
A ratio to it measures what the app adds to the fan-out, not the machine."""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import socketio

EVENTS = json.loads(os.environ.get("BENCH_EVENTS", "{}"))
server = socketio.Server(async_mode="gevent", cors_allowed_origins=[])
state = {"seq": 0}


@server.on("subscribe")
def subscribe(sid, data):
    room = f"office:{data.get('office')}"
    server.enter_room(sid, room)
    server.emit("snapshot", {"room": room, "seq": state["seq"], "office": data.get("office"), "state": {}}, to=sid)


def _emit(kind: str) -> int:
    state["seq"] += 1
    payload = dict(EVENTS.get(kind) or {"type": kind, "room": "office:demo"})
    payload.update(seq=state["seq"], at=datetime.now(timezone.utc).isoformat())
    server.emit("event", payload, to=payload.get("room", "office:demo"))
    return state["seq"]


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
