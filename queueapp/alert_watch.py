"""The alert check of the supervisor's dashboard, in the serving process.

When it runs: every ALERT_CHECK_SECONDS (QUEUEAPP_ALERT_CHECK_SECONDS, default 30; 0 turns
it off), because waits and pauses grow with the clock alone, and one second after a
committed event that may end an alert standing in an office (a call, a transfer, a
cancel, a counter update). Each check reads every office's figures (queries.dashboard),
applies the pure rule (domain.alerts) and records what changed as alert.raised /
alert.cleared events (services.alerts), which reach the staff room like any other event.
Several processes may check at once: the office lock makes each change announced once."""
from __future__ import annotations

import logging

from .domain.events import EventType
from .extensions import now, socketio
from .queries import dashboard
from .services.alerts import announce_alerts

log = logging.getLogger(__name__)
E = EventType

# Events that may end a standing alert (a long wait called or moved; a pause ended).
MAY_CLEAR = frozenset(e.value for e in (E.TICKET_CALLED, E.TICKET_TRANSFERRED, E.TICKET_CANCELLED,
                                        E.TICKET_ON_HOLD, E.COUNTER_UPDATED, E.OFFICE_CONFIGURED))


class AlertWatch:
    def __init__(self, app):
        self.app = app
        self.db = app.extensions["queueapp.db"]
        self.interval = app.config["ALERT_CHECK_SECONDS"]
        self.pause_minutes = app.config["PAUSE_ALERT_MINUTES"]
        self.soon = False
        # Offices with an alert standing as far as this process knows (None: not checked yet).
        self.alerting: set[int] | None = None

    def after_commit(self, events) -> None:
        if self.alerting and any(e.type in MAY_CLEAR and e.office_id in self.alerting for e in events):
            self.soon = True

    def check(self) -> int:
        """One check of every office; returns how many alert events it recorded."""
        with self.app.app_context():
            moment = now()
        recorded = 0
        for office_id, found in dashboard.office_alerts(self.db, moment,
                                                        pause_alert_minutes=self.pause_minutes).items():
            if found or self.alerting is None or office_id in self.alerting:
                recorded += announce_alerts(self.db, office_id, found, now=moment)
            known = self.alerting or set()
            self.alerting = (known | {office_id}) if found else (known - {office_id})
        return recorded

    def run(self) -> None:
        waited = 0
        while True:
            socketio.sleep(1)
            waited += 1
            if waited < self.interval and not self.soon:
                continue
            waited, self.soon = 0, False
            try:
                self.check()
            except Exception:  # noqa: BLE001 - a failed check is retried at the next tick
                log.exception("alert check failed")


def start(app) -> AlertWatch | None:
    """Start the check in the background of a serving process (not in tests' apps)."""
    if app.config["ALERT_CHECK_SECONDS"] <= 0:
        return None
    watch = AlertWatch(app)
    watch.db.add_listener(watch.after_commit)
    socketio.start_background_task(watch.run)
    return watch
