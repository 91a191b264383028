"""An installed wheel serves the screens' folders, not only a checkout."""
import shutil
import subprocess
import sys
import zipfile

from ..support import ROOT


def tracked_files(folder):
    out = subprocess.run(["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line]


def clean_source(target):
    """The tracked files only, as a fresh clone has them (no stale build/ folder)."""
    for path in tracked_files("."):
        source = ROOT / path
        if source.is_file():
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / path)
    return target


def test_the_wheel_carries_display_kiosk_templates_and_runs_from_them(tmp_path):
    source = clean_source(tmp_path / "src")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(tmp_path / "dist"), str(source)], capture_output=True, text=True,
                           timeout=300)
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("queueapp-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("display", "kiosk", "templates"):
        for path in tracked_files(folder):
            assert f"queueapp/_assets/{path}" in names, f"{path} missing from the wheel"
    assert any(n.startswith("queueapp/migrations/versions/0001") for n in names)
    assert "queueapp/translations/id/LC_MESSAGES/messages.mo" in names
    assert "queueapp/static/shared/live.js" in names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import queueapp, queueapp.assets as a\n"
        "from queueapp import create_app\n"
        "assert str(a.folder('templates')).startswith(%r), a.folder('templates')\n"
        "app = create_app()\n"
        "from queueapp.schema import upgrade\n"
        "upgrade(app.extensions['queueapp.db'].engine)\n"
        "c = app.test_client()\n"
        "r = c.get('/')\n"
        "assert r.status_code == 200 and b'Kantor' in r.data, r.status_code\n"
        "assert c.get('/static/shared/live.js').status_code == 200\n"
        "print('served from', queueapp.__file__)\n" % str(site)
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(site), "QUEUEAPP_INSTANCE_PATH": str(tmp_path / "inst"),
                              "PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1",
                              "PYTHONSAFEPATH": "1"}, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    assert str(site) in run.stdout
