"""Language choice: ?lang=, then the lang cookie; then Indonesian for pages and the
Accept-Language header for the API.

Pages default to Bahasa Indonesia even when a phone or TV browser is set to English (common in
Indonesia): the citizen chooses English with the switch on every page, and the choice is kept.
API clients state their language with Accept-Language."""
from __future__ import annotations

from flask import current_app, request

COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang") or request.cookies.get(COOKIE)
    if asked in languages:
        return asked
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_locale(response):
    """Keep an explicit ?lang= choice for the next pages (kiosk and display switches)."""
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"]:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
    return response
