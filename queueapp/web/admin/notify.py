"""Admin page of an office's notifications (/admin/<slug>/notifications): provider health
and recent failures, the channels in fallback order, the daily cap of paid messages, the
"N ahead" threshold, and the message texts with a preview (docs/NOTIFICATIONS.md)."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import messages
from ...domain import local_time
from ...domain.errors import DomainError, InvalidInput
from ...domain.notify import Kind
from ...domain.permissions import Permission
from ...extensions import get_db, now
from ...queries import notify as notify_views
from ...services import notify as notify_ops
from ..errors import status_for
from ..notify_choice import message_language
from .access import admin_page

bp = Blueprint("admin_notify", __name__, url_prefix="/admin")


@bp.app_template_filter("notify_moment")
def notify_moment(value) -> str:
    """A time of the delivery log in the office's zone, as staff read it."""
    return local_time.moment(value, g.office.timezone, message_language())


def _typed_texts() -> dict[str, dict[str, str]]:
    return {kind.value: {language: request.form.get(f"text-{kind.value}-{language}", "")
                         for language in ("id", "en")} for kind in Kind}


def _number(name: str) -> int:
    value = request.form.get(name, "").strip()
    if not value.isdigit():
        raise InvalidInput("must be a whole number, 0 or more", field=name)
    return int(value)


@bp.route("/<slug>/notifications", methods=["GET", "POST"])
@admin_page(Permission.CONFIGURE)
def page(slug: str):
    refused, status, typed = "", 200, None
    if request.method == "POST":
        typed = _typed_texts()
        if request.form.get("action") != "preview":
            try:
                notify_ops.save_settings(get_db(), g.actor, slug, now=now(),
                                         channels=[c.strip() for c in request.form.get("channels", "").split(",")
                                                   if c.strip()],
                                         daily_cap=_number("daily_cap"), ahead_threshold=_number("ahead_threshold"),
                                         texts=typed)
            except DomainError as exc:
                refused, status = messages.for_error(exc), status_for(exc)
            else:
                flash(_("Notification settings saved."))
                return redirect(url_for("admin_notify.page", slug=slug), 303)
    return render_template("admin/notifications.html", office=g.office, section="notifications",
                           health=notify_views.health(get_db(), g.office.id),
                           failures=notify_views.failures(get_db(), g.office.id),
                           settings=notify_views.settings(get_db(), g.office.id, typed),
                           form=request.form if request.method == "POST" else None, refused=refused), status
