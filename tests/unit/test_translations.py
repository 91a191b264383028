"""Every user-visible string has its Indonesian translation, and the compiled catalogs are current."""
from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from queueapp import CATALOGS

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "queueapp" / "translations"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def catalog(locale: str, name: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / f"{name}.po", "rb") as f:
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
    translated = set()
    for name in CATALOGS:
        translated |= {msgid(m) for m in catalog("id", name) if m.id and m.string and not m.fuzzy}
    used = used_msgids()
    assert len(used) > 150
    assert not used - translated, sorted(used - translated)


def test_a_string_in_several_catalogs_is_translated_the_same_way():
    seen: dict[str, set[str]] = {}
    for name in CATALOGS:
        for message in catalog("id", name):
            if message.id and message.string:
                seen.setdefault(msgid(message), set()).add(str(message.string))
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_the_compiled_catalogs_match_their_sources():
    for locale in ("id", "en"):
        for name in CATALOGS:
            compiled = TRANSLATIONS / locale / "LC_MESSAGES" / f"{name}.mo"
            with open(compiled, "rb") as f:
                shipped = {msgid(m): m.string for m in read_mo(f) if m.id}
            fresh = BytesIO()
            write_mo(fresh, catalog(locale, name))
            fresh.seek(0)
            expected = {msgid(m): m.string for m in read_mo(fresh) if m.id}
            assert shipped == expected, f"{locale}/{name}.mo is stale: run pybabel compile"
