"""Setting an office up from the shell: create, add services and counters, import a whole
office from one file (again: nothing changes), export it, and the owner of a first run."""
import json

import yaml

from queueapp.cli import main
from queueapp.models import AuditEntry, TicketEvent
from queueapp.queries.office_document import office_document

from ..support import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "kecamatan-wita.yaml"


def _invoke(runner_env, args, input_text=None):
    from click.testing import CliRunner
    return CliRunner(env=runner_env).invoke(main, args, input=input_text, catch_exceptions=False)


def _env(tmp_path):
    return {"QUEUEAPP_INSTANCE_PATH": str(tmp_path), "QUEUEAPP_DATABASE_URL": f"sqlite:///{tmp_path}/q.db"}


def _count(db, model):
    with db.read() as s:
        return s.query(model).count()


def test_an_office_is_set_up_from_the_shell_without_sql(tmp_path):
    env = _env(tmp_path)
    assert _invoke(env, ["db", "upgrade"]).exit_code == 0
    made = _invoke(env, ["office", "create", "kec-sukamaju", "--name", "Kecamatan Sukamaju", "--timezone", "WITA"])
    assert made.exit_code == 0, made.output
    assert _invoke(env, ["service", "add", "kec-sukamaju", "A", "--name", "KTP-el", "--quota", "50"]).exit_code == 0
    added = _invoke(env, ["counter", "add", "kec-sukamaju", "1", "--services", "A:1", "--open"])
    assert added.exit_code == 0, added.output
    user = _invoke(env, ["create-user", "camat", "--office", "kec-sukamaju", "--role", "admin",
                         "--password", "teh-manis-hangat"])
    assert user.exit_code == 0, user.output
    exported = yaml.safe_load(_invoke(env, ["office", "export", "kec-sukamaju"]).output)
    assert exported["office"]["timezone"] == "WITA"
    assert exported["services"][0]["code"] == "A" and exported["services"][0]["daily_quota"] == 50
    assert exported["counters"][0]["services"] == {"A": 1} and exported["counters"][0]["state"] == "open"
    assert [m["username"] for m in exported["staff"]] == ["camat"]


def test_a_bad_time_zone_is_one_readable_line(tmp_path):
    env = _env(tmp_path)
    _invoke(env, ["db", "upgrade"])
    result = _invoke(env, ["office", "create", "kec-x", "--name", "X", "--timezone", "GMT"])
    assert result.exit_code == 1 and "invalid_input" in result.output and "WITA" in result.output


def test_importing_an_office_file_twice_changes_nothing_the_second_time(tmp_path):
    from queueapp import create_app
    env = _env(tmp_path)
    _invoke(env, ["db", "upgrade"])
    first = _invoke(env, ["office", "import", str(EXAMPLE)])
    assert first.exit_code == 0, first.output
    assert "password of new account admin.mariso" in first.output
    db = create_app({"DATABASE_URL": env["QUEUEAPP_DATABASE_URL"], "INSTANCE_PATH": str(tmp_path)}).extensions[
        "queueapp.db"]
    entries, events = _count(db, AuditEntry), _count(db, TicketEvent)
    document = office_document(db, "kec-mariso")
    second = _invoke(env, ["office", "import", str(EXAMPLE)])
    assert second.exit_code == 0, second.output
    assert "password of new account" not in second.output
    assert (_count(db, AuditEntry), _count(db, TicketEvent)) == (entries, events)
    assert office_document(db, "kec-mariso") == document
    assert document["office"]["timezone"] == "WITA" and len(document["hours"]) == 5
    assert document["services"][0]["requirements"].splitlines() == ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW"]


def test_an_exported_office_imports_into_another_database_as_it_was(tmp_path):
    from queueapp import create_app
    source, target = tmp_path / "a", tmp_path / "b"
    source.mkdir(), target.mkdir()
    _invoke(_env(source), ["db", "upgrade"])
    _invoke(_env(source), ["office", "import", str(EXAMPLE)])
    copy = tmp_path / "copy.json"
    exported = yaml.safe_load(_invoke(_env(source), ["office", "export", "kec-mariso"]).output)
    copy.write_text(json.dumps(exported))
    _invoke(_env(target), ["db", "upgrade"])
    assert _invoke(_env(target), ["office", "import", str(copy)]).exit_code == 0
    db = create_app({"DATABASE_URL": _env(target)["QUEUEAPP_DATABASE_URL"], "INSTANCE_PATH": str(target)}) \
        .extensions["queueapp.db"]
    assert office_document(db, "kec-mariso") == exported


def test_a_file_with_an_unknown_section_writes_nothing(tmp_path):
    env = _env(tmp_path)
    _invoke(env, ["db", "upgrade"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("office: {slug: kec-y, name: Y}\ncountres: []\n")
    result = _invoke(env, ["office", "import", str(bad)])
    assert result.exit_code == 1 and "countres" in result.output
    assert "office_not_found" in _invoke(env, ["office", "export", "kec-y"]).output


def test_the_owner_needs_no_office_and_a_first_run_says_how_to_begin(tmp_path):
    from queueapp import create_app
    from queueapp.server import first_run
    env = _env(tmp_path)
    app = create_app({"DATABASE_URL": env["QUEUEAPP_DATABASE_URL"], "INSTANCE_PATH": str(tmp_path)})
    assert not first_run(app)                  # no schema yet: `db upgrade` comes first, not the owner
    _invoke(env, ["db", "upgrade"])
    assert first_run(app)
    made = _invoke(env, ["create-user", "diskominfo", "--role", "owner", "--password", "teh-manis-hangat"])
    assert made.exit_code == 0, made.output
    assert not first_run(app)
    clerk = _invoke(env, ["create-user", "x1", "--role", "clerk", "--password", "teh-manis-hangat"])
    assert clerk.exit_code == 1   # an office role needs --office
