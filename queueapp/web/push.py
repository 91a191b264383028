"""Web push from the status page: the service worker at the site's root (`/sw.js`), the web
app manifest and its icons (an iPhone receives push only as a web app on the home screen),
the server's VAPID public key, and a ticket's push subscription
(`POST`/`DELETE /api/v1/tickets/<token>/push`; the ticket's token is the key, as for leaving).
Sending is the notification channel's (queueapp.notifications.webpush)."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Flask, Response, current_app, jsonify, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import webpush
from ..domain import errors
from ..domain.push import Subscription
from ..domain.states import FINAL
from ..extensions import csrf, get_db, now
from ..queries.kiosks import ticket_page
from ..services import push as push_ops
from .http import json_body, public_url

bp = Blueprint("push", __name__)
# The ticket's unguessable token is the key (as for leaving the queue); a CSRF token would
# expire on a page the citizen keeps open for hours.
csrf.exempt(bp)

WORKER = Path(__file__).resolve().parent.parent / "static" / "push" / "sw.js"
ICON_SIZES = (180, 192, 512)
THEME = "#0b3d66"
KEYS = "queueapp.vapid"
FINAL_STATUSES = frozenset(status.value for status in FINAL)


def vapid_keys(app: Flask | None = None) -> webpush.VapidKeys:
    """The deployment's VAPID keys, read (or generated) once per process."""
    app = app or current_app
    if KEYS not in app.extensions:
        app.extensions[KEYS] = webpush.vapid_keys(Path(app.config["INSTANCE_PATH"]))
    return app.extensions[KEYS]


def whatsapp_share_url(text: str) -> str:
    """A wa.me link that opens WhatsApp with `text` typed, the recipient still to choose."""
    return "https://wa.me/?text=" + quote(text, safe="")


def notify_settings(ticket: dict, office: dict) -> dict:
    """What templates/status/_notify.html and status/notify.js need for one ticket."""
    token = ticket["token"]
    link = public_url(f"/t/{token}")
    share = _("My queue number %(number)s at %(office)s: %(url)s", number=ticket["number"], office=office["name"],
              url=link)
    texts = {
        "on_push": _("Done: we will notify you when you are called, even when this page is closed."),
        "on_page": _("This browser can notify you only while this page stays open (in the background is fine)."),
        "denied": _("Notifications are blocked in this browser."),
        "unsupported": _("This browser cannot show notifications. Keep this page open to follow your turn."),
        "failed": _("Notifications could not be turned on. Keep this page open to follow your turn."),
        "stopped": _("Notifications are off for this ticket."),
    }
    config = {"public_key": vapid_keys().public_key, "worker": url_for("push.service_worker"),
              "subscribe": url_for("push.subscribe", token=token), "url": f"/t/{token}", "tag": token,
              "icon": url_for("push.icon", size=192), "texts": texts}
    return {"active": ticket["status"] not in FINAL_STATUSES, "share_url": whatsapp_share_url(share),
            "config": config}


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so that its scope is the whole site (the
    status pages at /t/...). Revalidated on every registration, never cached stale."""
    response = send_file(WORKER, mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """A minimal web app manifest. With ?t=<token> it opens that ticket's status page, so an
    iPhone's "Add to Home Screen" keeps the ticket (web push on iOS 16.4+ needs that)."""
    name, short, start = _("Public service queue"), _("Queue"), "/"
    token = request.args.get("t", "")
    if token:
        try:
            found = ticket_page(get_db(), token, now=now())
        except errors.TicketNotFound:
            found = None
        if found is not None:
            number = found.ticket["number"]
            name, short, start = f"{number} · {found.office['name']}", number, f"/t/{token}"
    body = {"name": name, "short_name": short, "id": start, "start_url": start, "scope": "/",
            "display": "standalone", "background_color": "#f2f4f7", "theme_color": THEME,
            "lang": str(get_locale() or "id"),
            "icons": [{"src": url_for("push.icon", size=size), "sizes": f"{size}x{size}", "type": "image/png",
                       "purpose": "any"} for size in ICON_SIZES if size != 180]}
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-store" if token else "public, max-age=3600"
    return response


@lru_cache(maxsize=len(ICON_SIZES))
def icon_png(size: int) -> bytes:
    """The app's icon: a white "Q" (a ring and its tail) on the status page's blue, drawn
    once per size by Pillow (reportlab's dependency): no binary file in the repository."""
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (size, size), THEME)
    draw = ImageDraw.Draw(image)
    ring = size // 5
    draw.ellipse((ring, ring, size - ring, size - ring), outline="white", width=max(2, size // 14))
    tail = size * 0.58
    draw.line((tail, tail, size - ring * 0.9, size - ring * 0.9), fill="white", width=max(2, size // 12))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@bp.get("/icons/icon-<int:size>.png")
def icon(size: int):
    if size not in ICON_SIZES:
        raise errors.NotFound()
    response = Response(icon_png(size), mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/api/v1/push/key")
def public_key():
    """The VAPID public key a browser subscribes with (applicationServerKey)."""
    return jsonify({"public_key": vapid_keys().public_key})


@bp.post("/api/v1/tickets/<token>/push")
def subscribe(token: str):
    """The citizen's browser asks to be told about this ticket by web push."""
    subscription = Subscription.parse(json_body())
    push_ops.subscribe(get_db(), token, subscription, now=now(), locale=str(get_locale() or "id"),
                       secret_key=current_app.config["SECRET_KEY"])
    return jsonify({"subscribed": True}), 201


@bp.delete("/api/v1/tickets/<token>/push")
def unsubscribe(token: str):
    """The citizen's browser stops following this ticket (204 also when it was not subscribed)."""
    push_ops.unsubscribe(get_db(), token, json_body().get("endpoint"), now=now())
    return Response(status=204)


def register(app: Flask) -> None:
    """Web push and the counter's no-provider contact (web.counter_contact)."""
    from ..notifications import webpush as _channel   # noqa: F401 - registers the "webpush" channel
    from . import counter_contact
    app.register_blueprint(bp)
    app.register_blueprint(counter_contact.bp)

    @app.context_processor
    def _push():
        return {"notify_settings": notify_settings}
