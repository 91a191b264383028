"""How a waiting ticket's estimate is worded, on paper and on every screen (the kiosk, the
status page, the lobby): one place, so "segera dilayani" and "belum dapat diperkirakan"
read the same everywhere. The pages' scripts word live changes with
static/shared/wait.js from the texts below (client_texts)."""
from __future__ import annotations

from flask_babel import gettext as _


def soon(minutes: int | None) -> bool:
    """A quote of 0 minutes reads "served soon", never "0 min (0-1)"."""
    return minutes == 0


def wait_text(ticket: dict) -> str:
    """The estimate as a sentence (the paper ticket): "Estimated wait: 12 min (8-17)"."""
    minutes = ticket["eta_minutes"]
    if minutes is None:
        return _("Estimated wait: cannot be estimated yet")
    if soon(minutes):
        return _("Estimated wait: served soon")
    low, high = ticket["eta_range"]
    return _("Estimated wait: %(minutes)s min (%(low)s-%(high)s)", minutes=minutes, low=low, high=high)


def wait_value(ticket: dict) -> str:
    """The estimate as a value beside its label (the status page)."""
    minutes = ticket["eta_minutes"]
    if minutes is None:
        return _("cannot be estimated yet")
    if soon(minutes):
        return _("served soon")
    low, high = ticket["eta_range"]
    return _("%(minutes)s min (between %(low)s and %(high)s)", minutes=minutes, low=low, high=high)


def client_texts(sentence: bool = False) -> dict:
    """The texts static/shared/wait.js words an estimate with: as a sentence (kiosk) or a
    value (status page)."""
    if sentence:
        return {"range": _("Estimated wait: %(minutes)s min (%(low)s-%(high)s)"),
                "soon": _("Estimated wait: served soon"), "none": _("Estimated wait: cannot be estimated yet")}
    return {"range": _("%(minutes)s min (between %(low)s and %(high)s)"), "soon": _("served soon"),
            "none": _("cannot be estimated yet")}
