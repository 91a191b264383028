"""Per-client rate limits of the public booking pages and API (Flask-Limiter, bound in
create_app): in memory, or in Redis when REDIS_URL is set so every process shares the
counts. Each limit is a setting; an empty setting turns it off."""
from __future__ import annotations

from flask import current_app, request

from ..extensions import limiter

# The blueprints that have limits, and single endpoints elsewhere that have their own (with
# the settings of their limits); every other request skips the limiter altogether.
LIMITED = frozenset({"api_booking", "booking"})
LIMITED_ENDPOINTS = {"api.issue": ("TICKET_RATE_LIMIT", "TICKET_DEVICE_RATE_LIMIT")}


def _limit_name() -> str:
    """Kiosks check in many citizens from one address, so check-in has its own limit."""
    if request.endpoint == "api_booking.check_in":
        return "CHECKIN_RATE_LIMIT"
    return "BOOKING_READ_RATE_LIMIT" if request.method in ("GET", "HEAD") else "BOOKING_RATE_LIMIT"


def booking_limit() -> str:
    """The limit of this request, from the settings."""
    return current_app.config.get(_limit_name()) or "1000000 per second"


def no_booking_limit() -> bool:
    return not current_app.config.get(_limit_name())


def setting_limit(name: str):
    """(limit, exempt_when) for a route limited by one setting: an empty setting exempts."""
    return (lambda: current_app.config.get(name) or "1000000 per second",
            lambda: not current_app.config.get(name))


@limiter.request_filter
def _not_limited() -> bool:
    """Outside the limited blueprints and endpoints, or on an endpoint whose limits are all
    turned off (then the limiter has nothing to count: it is skipped as a whole)."""
    settings = LIMITED_ENDPOINTS.get(request.endpoint)
    if settings is not None:
        return not any(current_app.config.get(name) for name in settings)
    return request.blueprint not in LIMITED
