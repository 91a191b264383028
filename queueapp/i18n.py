"""Language choice: ?lang=, then the lang cookie; then Indonesian for pages and the
Accept-Language header for the API.

Pages default to Bahasa Indonesia even when a phone or TV browser is set to English (common in
Indonesia): the citizen chooses English with the switch on every page, and the choice is kept.
API clients state their language with Accept-Language.

Also the translation catalog's upkeep (extract, update, compile), for `queueapp translations`."""
from __future__ import annotations

from pathlib import Path

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
    if not request.query_string:   # most API calls: no parameters to parse
        return response
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"]:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


# --- the translation catalog (the `queueapp translations` command) --------------------------
# One gettext catalog, `messages`, in queueapp/translations/<locale>/LC_MESSAGES. English is the
# source language (the msgids), so only the other languages have a catalog.

DOMAIN = "messages"
KEYWORDS = {"_l": None, "lazy_gettext": None}   # besides Babel's defaults (_, gettext, ngettext...)


def translations_folder() -> Path:
    return Path(__file__).resolve().parent / "translations"


def extract_messages(root=None):
    """The catalog template: every msgid in the Python and Jinja sources of a checkout, as
    mapped by queueapp/babel.cfg (paths relative to the checkout's root)."""
    from babel.messages import frontend
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    package = Path(__file__).resolve().parent
    if not (package / "babel.cfg").is_file():
        raise FileNotFoundError("extracting needs a source checkout (queueapp/babel.cfg, templates/)")
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping   # Babel < 2.14
    with open(package / "babel.cfg", encoding="utf-8") as mapping:
        method_map, options_map = parse(mapping)
    template = Catalog(project="queueapp", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            root or package.parent, method_map, options_map, keywords=DEFAULT_KEYWORDS | KEYWORDS):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def catalog_paths(folder=None) -> dict[str, Path]:
    """locale -> its messages.po, for every language that has a catalog in `folder`."""
    found = sorted(Path(folder or translations_folder()).glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return {path.parent.parent.name: path for path in found}


def read_catalog(path):
    from babel.messages.pofile import read_po
    with open(path, "rb") as source:
        return read_po(source)


def write_catalog(catalog, path) -> None:
    from babel.messages.pofile import write_po
    with open(path, "wb") as target:
        write_po(target, catalog, width=100, ignore_obsolete=True)


def update_catalogs(template, folder=None) -> dict[str, int]:
    """Merge the template into every language's catalog; new strings come untranslated and
    strings no longer used are dropped. Returns locale -> number of untranslated strings."""
    missing = {}
    for locale, path in catalog_paths(folder).items():
        catalog = read_catalog(path)
        catalog.update(template, update_creation_date=False)   # no diff when nothing changed
        write_catalog(catalog, path)
        missing[locale] = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
    return missing


def compile_catalogs(folder=None) -> list[Path]:
    """Write each language's .mo beside its .po (the .mo files are committed: a fresh clone and
    the wheel work without a compile step)."""
    from babel.messages.mofile import write_mo
    written = []
    for path in catalog_paths(folder).values():
        target = path.with_suffix(".mo")
        with open(target, "wb") as out:
            write_mo(out, read_catalog(path))
        written.append(target)
    return written
