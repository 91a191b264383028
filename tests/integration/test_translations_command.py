"""`queueapp translations extract|update|compile`: the catalog's upkeep, on a copy of the catalog."""
import shutil

from click.testing import CliRunner
from flask import Flask
from flask_babel import Babel, force_locale, gettext

from queueapp.cli import main
from queueapp.i18n import read_catalog, translations_folder, write_catalog


def run(*args):
    result = CliRunner().invoke(main, ["translations", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_extract_finds_the_strings_of_python_and_templates(tmp_path):
    run("extract", "-o", str(tmp_path / "messages.pot"))
    template = read_catalog(tmp_path / "messages.pot")
    assert "Please choose a service" in template      # templates/kiosk/kiosk.html
    assert "This office does not exist." in template  # queueapp/web/errors.py
    assert not any(message.string for message in template if message.id)


def test_update_brings_back_a_missing_string_untranslated(tmp_path):
    folder = shutil.copytree(translations_folder(), tmp_path / "translations")
    po = folder / "id" / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(po)
    catalog.delete("Please choose a service")
    write_catalog(catalog, po)
    assert "id: 1 strings to translate" in run("update", "-d", str(folder))
    updated = read_catalog(po)
    entry = updated["Please choose a service"]
    assert entry is not None and (not entry.string or entry.fuzzy)   # a fuzzy guess is not a translation


def test_compile_writes_a_catalog_that_flask_babel_reads(tmp_path):
    folder = shutil.copytree(translations_folder(), tmp_path / "translations")
    (folder / "id" / "LC_MESSAGES" / "messages.mo").unlink()
    po = folder / "id" / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(po)
    catalog["Please choose a service"].string = "Silakan pilih layanan (uji)"
    write_catalog(catalog, po)
    assert "compiled" in run("compile", "-d", str(folder))
    app = Flask(__name__)
    Babel(app, default_translation_directories=str(folder), default_locale="id")
    with app.test_request_context(), force_locale("id"):
        assert gettext("Please choose a service") == "Silakan pilih layanan (uji)"
