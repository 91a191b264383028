"""Language choice: ?lang=, then the lang cookie, then Accept-Language; Indonesian by default."""
from __future__ import annotations

from flask import current_app, request

COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang") or request.cookies.get(COOKIE)
    if asked in languages:
        return asked
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_locale(response):
    """Keep an explicit ?lang= choice for the next pages (kiosk and display switches)."""
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"]:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
    return response
