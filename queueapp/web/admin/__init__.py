"""Office administration in the browser (/admin): one blueprint per area, like the rest
of web. Pages are Flask-WTF forms with CSRF; every write goes through a service function
(permission table, one transaction, audit entry), never to the tables directly.

- office:  the office list and first run, the office's settings and checklist, zones,
           weekly hours, holidays, devices (kiosks, displays)
- catalog: services (with booking rules and service standard) and counters
- people:  staff accounts, API tokens, the audit log
- notify:  notifications: provider health, failures, channels, cap, message texts
"""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import catalog, notify, office, people
    for module in (office, catalog, people, notify):
        app.register_blueprint(module.bp)
