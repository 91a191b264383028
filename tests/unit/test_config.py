"""Every setting comes from config.load: its default, its QUEUEAPP_* variable, a clear error."""
import re
from pathlib import Path

import pytest

from queueapp import config

README = Path(__file__).resolve().parents[2] / "README.md"


class RecordingEnviron(dict):
    """An environment that notes every variable asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)


def readme_variables() -> set[str]:
    """The QUEUEAPP_* names in the README's configuration table (| variable | default | meaning |)."""
    lines = README.read_text().splitlines()
    start = lines.index("| variable | default | meaning |")
    names = set()
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        names.update(re.findall(r"`(QUEUEAPP_[A-Z_]+)`", line.split("|")[1]))
    return names


def test_an_empty_environment_gives_every_setting_its_default_and_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = config.load({})
    assert {variable.key for variable in config.VARIABLES} | set(config.FIXED) | set(config.DERIVED) == set(settings)
    assert settings["INSTANCE_PATH"] == tmp_path.resolve() / "instance"
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path.resolve() / 'instance' / 'queueapp.db'}"
    assert settings["SECRET_KEY"] is None and settings["REDIS_URL"] is None and settings["PUBLIC_URL"] is None
    assert settings["ASYNC_MODE"] == "threading" and settings["REDIS_CHANNEL"] == "queueapp"
    assert (settings["DB_POOL_SIZE"], settings["DB_MAX_OVERFLOW"]) == (5, 10)
    assert settings["PERMANENT_SESSION_LIFETIME"] == 600 * 60 and settings["ACCESS_LOG"] is None
    assert settings["BOOKING_RATE_LIMIT"] == "10 per minute;60 per hour"
    assert settings["BOOKING_READ_RATE_LIMIT"] == "120 per minute"
    assert settings["CHECKIN_RATE_LIMIT"] == "60 per minute"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, value, key, expected", [
    ("ASYNC_MODE", "gevent", "ASYNC_MODE", "gevent"),
    ("DB_POOL_SIZE", "20", "DB_POOL_SIZE", 20),
    ("DB_MAX_OVERFLOW", "0", "DB_MAX_OVERFLOW", 0),
    ("SESSION_MINUTES", "30", "PERMANENT_SESSION_LIFETIME", 1800),
    ("PUBLIC_URL", "https://antrian.kecamatan.go.id/", "PUBLIC_URL", "https://antrian.kecamatan.go.id"),
    ("REDIS_URL", "redis://127.0.0.1:6379/0", "REDIS_URL", "redis://127.0.0.1:6379/0"),
    ("REDIS_CHANNEL", "mpp-kota", "REDIS_CHANNEL", "mpp-kota"),
    ("SECRET_KEY", "k" * 64, "SECRET_KEY", "k" * 64),
    ("DATABASE_URL", "postgresql+psycopg://queue@db/queue", "DATABASE_URL", "postgresql+psycopg://queue@db/queue"),
    ("ACCESS_LOG", "-", "ACCESS_LOG", "-"),
    ("BOOKING_RATE_LIMIT", "2 per minute", "BOOKING_RATE_LIMIT", "2 per minute"),
    ("BOOKING_READ_RATE_LIMIT", "", "BOOKING_READ_RATE_LIMIT", ""),
    ("CHECKIN_RATE_LIMIT", "", "CHECKIN_RATE_LIMIT", ""),
])
def test_a_variable_changes_its_setting(name, value, key, expected):
    assert config.load({f"QUEUEAPP_{name}": value})[key] == expected


def test_the_instance_path_moves_the_default_database_with_it(tmp_path):
    settings = config.load({"QUEUEAPP_INSTANCE_PATH": str(tmp_path / "kantor")})
    assert settings["INSTANCE_PATH"] == tmp_path / "kantor"
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'kantor' / 'queueapp.db'}"


def test_an_empty_value_means_the_default_except_for_a_rate_limit_where_it_means_off():
    settings = config.load({"QUEUEAPP_DB_POOL_SIZE": "", "QUEUEAPP_REDIS_CHANNEL": " ",
                            "QUEUEAPP_BOOKING_RATE_LIMIT": ""})
    assert settings["DB_POOL_SIZE"] == 5 and settings["REDIS_CHANNEL"] == "queueapp"
    assert settings["BOOKING_RATE_LIMIT"] == ""


@pytest.mark.parametrize("name, value", [
    ("ASYNC_MODE", "asyncio"), ("DB_POOL_SIZE", "five"), ("DB_MAX_OVERFLOW", "-1"),
    ("SESSION_MINUTES", "1.5"), ("BOOKING_RATE_LIMIT", "ten per minute"),
])
def test_a_bad_value_is_an_error_that_names_the_variable(name, value):
    with pytest.raises(config.ConfigError, match=f"QUEUEAPP_{name}="):
        config.load({f"QUEUEAPP_{name}": value})


def test_the_readme_table_documents_exactly_the_variables_config_reads():
    environ = RecordingEnviron()
    config.load(environ)
    assert environ.asked == readme_variables()
