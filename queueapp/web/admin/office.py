"""Admin pages: office (being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin_office", __name__, url_prefix="/admin")


@bp.get("")
def home():
    return "", 404


@bp.get("/<slug>/settings")
def settings(slug: str):
    return "", 404


@bp.get("/<slug>/zones")
def zones(slug: str):
    return "", 404


@bp.get("/<slug>/hours")
def hours(slug: str):
    return "", 404


@bp.get("/<slug>/holidays")
def holidays(slug: str):
    return "", 404


@bp.get("/<slug>/devices")
def devices(slug: str):
    return "", 404
