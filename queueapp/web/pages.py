"""Public pages shared by all areas: the start page listing offices and their screens."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from ..extensions import get_db
from ..models import Office

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    with get_db().read() as session:
        offices = [{"slug": o.slug, "name": o.name, "address": o.address}
                   for o in session.execute(select(Office).order_by(Office.name)).scalars()]
    return render_template("index.html", offices=offices)
