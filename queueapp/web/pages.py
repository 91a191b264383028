"""Public pages shared by all areas: the start page listing offices and their screens,
and the first-run hint (no staff account yet: how to make the owner)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory

from ..extensions import get_db, now
from ..queries import admin, boards

bp = Blueprint("pages", __name__)


@bp.app_template_global()
def first_run() -> bool:
    """True while the database has no staff account: pages then say how to make the owner."""
    return not admin.has_staff(get_db())


@bp.get("/")
def index():
    return render_template("index.html", offices=boards.offices(get_db(), now()))


@bp.get("/favicon.ico")
def favicon():
    """The app's icon, which browsers ask for on every screen (linked from base.html too)."""
    return send_from_directory(current_app.static_folder, "icons/favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=7 * 24 * 3600)
