"""The `queueapp` command, run as an office IT officer runs it."""
import os
import shutil
import subprocess
import sys

import pytest
import requests

from queueapp import assets

from ..support import ROOT, LiveServer


def run(args, env, input_text=None):
    return subprocess.run([sys.executable, "-m", "queueapp", *args], env={**os.environ, **env}, cwd=ROOT,
                          input=input_text, capture_output=True, text=True, timeout=120)


def test_migrate_seed_create_user_and_token_then_use_the_token(tmp_path):
    env = {"QUEUEAPP_INSTANCE_PATH": str(tmp_path)}
    assert run(["db", "upgrade"], env).returncode == 0
    seeded = run(["seed-demo"], env)
    assert seeded.returncode == 0 and "demo office loaded" in seeded.stdout
    assert "already present" in run(["seed-demo"], env).stdout
    assert (tmp_path / "queueapp.db").exists() and (tmp_path / "secret_key").exists()
    made = run(["create-user", "petugas9", "--office", "demo", "--role", "clerk", "--password", "teh-manis-hangat"],
               env)
    assert made.returncode == 0, made.stderr
    prompted = run(["create-user", "petugas10", "--office", "demo", "--role", "clerk"], env,
                   input_text="teh-manis-hangat\nteh-manis-hangat\n")
    assert prompted.returncode == 0, prompted.stderr
    short = run(["create-user", "x", "--office", "demo", "--role", "clerk", "--password", "123"], env)
    assert short.returncode != 0 and "password" in short.stderr
    token = run(["create-token", "petugas9"], env)
    assert token.returncode == 0 and len(token.stdout.strip().splitlines()) == 1
    server = LiveServer(env, worker="threading").start()
    try:
        counters = requests.get(server.url + "/api/v1/offices/demo/counters", timeout=5).json()
        response = requests.post(f"{server.url}/api/v1/counters/{counters[0]['id']}/call-next",
                                 headers={"Authorization": f"Bearer {token.stdout.strip()}"}, timeout=5)
        assert response.status_code == 409 and response.json()["error"]["code"] == "queue_empty"
    finally:
        server.stop()


def test_create_token_for_an_unknown_user_fails_cleanly(tmp_path):
    env = {"QUEUEAPP_INSTANCE_PATH": str(tmp_path)}
    run(["db", "upgrade"], env)
    result = run(["create-token", "nobody"], env)
    assert result.returncode != 0 and result.stdout == "" and "nobody" in result.stderr


def test_a_domain_error_is_one_readable_line_with_its_code(tmp_path):
    env = {"QUEUEAPP_INSTANCE_PATH": str(tmp_path)}
    result = run(["kiosk", "nowhere", "K1"], env)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == "Error: office_not_found (office=nowhere)"


@pytest.mark.skipif(not (shutil.which("espeak-ng") and shutil.which("sox")), reason="needs espeak-ng and sox")
def test_make_sounds_records_into_the_instance_folder_and_leaves_the_package_alone(tmp_path):
    packaged = assets.folder("display") / "sounds"
    before = {path: path.stat().st_mtime_ns for path in packaged.rglob("*.ogg")}
    result = run(["make-sounds"], {"QUEUEAPP_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    own = tmp_path / "sounds"
    assert str(own) in result.stdout
    assert (own / "chime.ogg").read_bytes()[:4] == b"OggS"
    assert {path.relative_to(own) for path in own.rglob("*.ogg")} == {path.relative_to(packaged) for path in before}
    assert {path: path.stat().st_mtime_ns for path in packaged.rglob("*.ogg")} == before


def test_an_unusable_setting_stops_a_command_with_the_variable_named(tmp_path):
    result = run(["db", "upgrade"], {"QUEUEAPP_INSTANCE_PATH": str(tmp_path), "QUEUEAPP_DB_POOL_SIZE": "lima"})
    assert result.returncode == 1 and "QUEUEAPP_DB_POOL_SIZE='lima'" in result.stderr
    assert "Traceback" not in result.stderr
