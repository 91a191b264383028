"""Public pages shared by all areas: the start page listing offices and their screens."""
from __future__ import annotations

from flask import Blueprint, render_template

from ..extensions import get_db, now
from ..queries import boards

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    return render_template("index.html", offices=boards.offices(get_db(), now()))
