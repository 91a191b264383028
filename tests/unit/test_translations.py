"""Every user-visible string has its Indonesian translation, and the compiled catalog is current."""
from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from queueapp.i18n import DOMAIN

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "queueapp" / "translations"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        return read_po(f)


def msgid(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def used_msgids() -> set[str]:
    found = set()
    for path in (ROOT / "queueapp").rglob("*.py"):
        found |= {m[1] if isinstance(m[1], str) else m[1][0]
                  for m in extract_from_file("python", str(path), keywords=KEYWORDS)}
    for path in (ROOT / "templates").rglob("*.html"):
        found |= {m[1] if isinstance(m[1], str) else m[1][0]
                  for m in extract_from_file("jinja2.ext:babel_extract", str(path), keywords=KEYWORDS)}
    return found


def test_every_string_in_code_and_templates_has_an_indonesian_translation():
    translated = {msgid(m) for m in catalog("id") if m.id and m.string and not m.fuzzy}
    used = used_msgids()
    assert len(used) > 150
    assert not used - translated, sorted(used - translated)


def test_one_catalog_for_indonesian_and_none_for_english_the_source_language():
    catalogs = sorted(str(path.relative_to(TRANSLATIONS)) for path in TRANSLATIONS.rglob("*.po"))
    assert catalogs == [f"id/LC_MESSAGES/{DOMAIN}.po"]


def test_the_compiled_catalog_matches_its_source():
    compiled = TRANSLATIONS / "id" / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with open(compiled, "rb") as f:
        shipped = {msgid(m): m.string for m in read_mo(f) if m.id}
    fresh = BytesIO()
    write_mo(fresh, catalog("id"))
    fresh.seek(0)
    expected = {msgid(m): m.string for m in read_mo(fresh) if m.id}
    assert shipped == expected, "id/messages.mo is stale: run queueapp translations compile"
