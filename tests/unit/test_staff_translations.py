"""Every word of the staff screens and the lobby display has its Indonesian translation."""
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "queueapp/web/staff.py", ROOT / "queueapp/web/counter.py", ROOT / "queueapp/web/display.py"]
TEMPLATES = [p for area in ("staff", "counter", "display") for p in (ROOT / "templates" / area).glob("*.html")]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def used_msgids() -> set[str]:
    found = set()
    for path in SOURCES:
        found |= {m[1] for m in extract_from_file("python", str(path), keywords=KEYWORDS)}
    for path in TEMPLATES:
        found |= {m[1] for m in extract_from_file("jinja2.ext:babel_extract", str(path), keywords=KEYWORDS)}
    return found


def test_every_staff_and_display_string_is_translated_to_indonesian():
    with open(ROOT / "queueapp/translations/id/LC_MESSAGES/staff.po", "rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    used = used_msgids()
    assert len(used) > 40
    assert not used - translated, sorted(used - translated)
    assert (ROOT / "queueapp/translations/id/LC_MESSAGES/staff.mo").is_file()
    assert (ROOT / "queueapp/translations/en/LC_MESSAGES/staff.mo").is_file()
