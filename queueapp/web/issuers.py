"""Who may issue a ticket (POST /api/v1/offices/<office>/tickets): a paired kiosk, by its
device token (`Authorization: Bearer qk_...`, or the HttpOnly cookie its browser got when
it opened a pairing link), or staff (an API token, or a session with its CSRF token).
Citizens join from home through the booking pages' online join, which has its own limits.

The channel follows the caller (kiosk or staff), never the request body."""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from werkzeug.exceptions import Unauthorized

from ..domain.channels import Channel
from ..domain.permissions import Actor
from ..extensions import csrf, get_db
from ..services import devices
from ..services.devices import PairedKiosk
from .auth import bearer_token, current_staff

COOKIE = "queueapp_kiosk"
COOKIE_DAYS = 400  # browsers keep a cookie at most about this long


@dataclass(frozen=True)
class Issuer:
    """A caller allowed to ask for a ticket: exactly one of kiosk and actor is set."""

    kiosk: PairedKiosk | None = None
    actor: Actor | None = None
    by_session: bool = False

    @property
    def channel(self) -> Channel:
        return Channel.KIOSK if self.kiosk is not None else Channel.STAFF

    @property
    def key(self) -> str:
        """Whom the per-device rate limit counts."""
        return f"kiosk:{self.kiosk.id}" if self.kiosk is not None else f"staff:{self.actor.staff_id}"


def paired_kiosk() -> PairedKiosk | None:
    """The kiosk this browser is paired with (its cookie), if any."""
    return devices.kiosk_for_token(get_db(), request.cookies.get(COOKIE))


def _find() -> Issuer | None:
    token = bearer_token()
    if token is not None:
        if devices.is_device_token(token):
            kiosk = devices.kiosk_for_token(get_db(), token)
            return Issuer(kiosk=kiosk) if kiosk is not None else None
        member = current_staff()
        return Issuer(actor=member.actor()) if member is not None else None
    kiosk = paired_kiosk()
    if kiosk is not None:
        return Issuer(kiosk=kiosk)
    member = current_staff()
    return Issuer(actor=member.actor(), by_session=True) if member is not None else None


def issuer() -> Issuer | None:
    """The caller of this request, looked up once (the rate limit asks too)."""
    kept = g._get_current_object()   # once: every g.x through the proxy costs
    if "issuer" not in kept:
        kept.issuer = _find()
    return kept.issuer


def required_issuer() -> Issuer:
    """The caller, or 401. A staff session must also carry its CSRF token; a kiosk's
    cookie is SameSite=Strict, so another site cannot send it."""
    found = issuer()
    if found is None:
        raise Unauthorized()
    if found.by_session:
        csrf.protect()
    return found


def pair_cookie(response, token: str):
    """Pair this browser: the device token in an HttpOnly, SameSite=Strict cookie, Secure
    when the page came over HTTPS (a kiosk on the office LAN may open plain http://, where
    a browser would drop a Secure cookie)."""
    response.set_cookie(COOKIE, token, max_age=COOKIE_DAYS * 24 * 3600, httponly=True, samesite="Strict",
                        secure=request.is_secure, path="/")
    return response
