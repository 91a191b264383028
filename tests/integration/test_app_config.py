"""create_app: settings from config.load, overrides on top, one way to hand in a database."""
from queueapp import create_app


def test_a_test_config_with_a_secret_key_writes_nothing_into_the_instance_folder(db, tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "given"}, database=db)
    assert app.config["SECRET_KEY"] == "given" and not (tmp_path / "instance").exists()


def test_without_a_secret_key_the_app_generates_one_once_and_keeps_it(db, tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("QUEUEAPP_SECRET_KEY", raising=False)
    first = create_app(database=db).config["SECRET_KEY"]
    assert len(first) == 64 and (tmp_path / "secret_key").read_text() == first
    assert create_app(database=db).config["SECRET_KEY"] == first


def test_an_override_wins_over_the_environment_and_the_environment_over_the_default(db, tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QUEUEAPP_PUBLIC_URL", "https://from-env.example.go.id")
    monkeypatch.setenv("QUEUEAPP_CHECKIN_RATE_LIMIT", "5 per minute")
    app = create_app({"SECRET_KEY": "x", "PUBLIC_URL": "https://override.example.go.id"}, database=db)
    assert app.config["PUBLIC_URL"] == "https://override.example.go.id"
    assert app.config["CHECKIN_RATE_LIMIT"] == "5 per minute"
    assert app.config["BOOKING_RATE_LIMIT"] == "10 per minute;60 per hour"
    assert app.instance_path == str(tmp_path)


def test_the_injected_database_is_the_one_the_app_uses(db, tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "x"}, database=db)
    assert app.extensions["queueapp.db"] is db


def test_without_an_injected_database_the_app_opens_the_configured_url(tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QUEUEAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'kantor.db'}")
    database = create_app({"SECRET_KEY": "x"}).extensions["queueapp.db"]
    try:
        assert database.url.database == str(tmp_path / "kantor.db")
    finally:
        database.dispose()
