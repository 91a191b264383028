"""Admin pages: catalog (being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin_catalog", __name__, url_prefix="/admin")


@bp.get("/<slug>/services")
def services(slug: str):
    return "", 404


@bp.get("/<slug>/counters")
def counters(slug: str):
    return "", 404
