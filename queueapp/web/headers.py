"""Security headers on every response: a Content-Security-Policy that runs only the app's own
script files, no framing, no MIME sniffing, a Referer only to this site, HSTS when the public
address is HTTPS, and no caching of the pages that carry a ticket, a booking or staff data."""
from __future__ import annotations

import re
from functools import lru_cache, partial

from flask import Flask, Response, request

# Pages whose content is one person's (a ticket's status, a booking's manage link) or staff
# data: a shared computer or a proxy must not keep them.
NO_STORE_BLUEPRINTS = frozenset({"status", "booking", "staff", "counter"})
NO_STORE_PREFIXES = ("admin",)

# Every script is a file under /static or the screens' folders; data reaches it through
# data-* attributes or <script type="application/json">. No inline script, handler or style.
# img: QR codes may be data: or blob: URLs; media: the display's chime and announcement
# clips; frame/object: the kiosk prints its ticket PDF in a frame from a blob: URL.
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
          "media-src 'self' blob: data:; font-src 'self'; frame-src 'self' blob:; object-src 'self' blob:; "
          "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; connect-src 'self' {sockets}")


HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?")


@lru_cache(maxsize=64)
def content_security_policy(host: str) -> str:
    """The policy for a request to `host` (kept per host: the same few names ask all day)."""
    # 'self' covers this host's ws:/wss: in current browsers; older ones need them named.
    sockets = f"ws://{host} wss://{host}" if HOST.fullmatch(host) else ""
    return POLICY.format(sockets=sockets).rstrip()


def _no_store(req) -> bool:
    blueprint = req.blueprint or ""
    return blueprint in NO_STORE_BLUEPRINTS or blueprint.startswith(NO_STORE_PREFIXES)


def fixed_headers(config) -> tuple[tuple[str, str, str], ...]:
    """The headers that do not depend on the request, from the app's settings: (lower-case
    name, name, value)."""
    fixed = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin")]
    hsts = config.get("HSTS_SECONDS")
    if hsts and (config.get("PUBLIC_URL") or "").lower().startswith("https://"):
        fixed.append(("Strict-Transport-Security", f"max-age={hsts}"))
    return tuple((name.lower(), name, value) for name, value in fixed)


def secure_headers(response: Response, fixed: tuple[tuple[str, str, str], ...] = ()) -> Response:
    """Add the headers a view did not set itself."""
    req = request._get_current_object()   # once: every request.x through the proxy costs
    headers = response.headers
    present = {name.lower() for name, _ in headers}
    if "content-security-policy" not in present:
        headers.add("Content-Security-Policy", content_security_policy(req.host))
    for key, name, value in fixed:
        if key not in present:
            headers.add(name, value)
    if "cache-control" not in present and _no_store(req):
        headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    app.after_request(partial(secure_headers, fixed=fixed_headers(app.config)))
