"""Admin pages: people (being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin_people", __name__, url_prefix="/admin")


@bp.get("/<slug>/staff")
def staff(slug: str):
    return "", 404


@bp.get("/<slug>/audit")
def audit(slug: str):
    return "", 404
