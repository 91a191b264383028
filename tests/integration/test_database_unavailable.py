"""A database that does not answer or refuses writes, and a full disk: 503 with Retry-After
(try again shortly), never 500; /health says which part is failing."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone

import pytest

from queueapp import create_app
from queueapp.db import Database
from queueapp.services import staff

from ..support import free_port

INDONESIAN = "Layanan sedang tidak dapat digunakan sebentar. Silakan coba lagi dalam satu menit."
ENGLISH = "The service is briefly unavailable. Please try again in a minute."


def app_on(database: Database, folder, **settings):
    return create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": folder, **settings}, database=database)


@pytest.fixture
def postgresql_gone(tmp_path):
    """An app whose PostgreSQL is down: nothing listens on its port."""
    gone = Database(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test?connect_timeout=2")
    yield app_on(gone, tmp_path).test_client()
    gone.dispose()


@pytest.fixture
def read_only_sqlite(demo_template, tmp_path):
    """An app on a copy of the demo database that SQLite opens read-only (as a file made
    read-only would be, for a user other than root), and a clerk's token made before."""
    path = tmp_path / "queueapp.db"
    shutil.copy(demo_template, path)
    writable = Database(f"sqlite:///{path}")
    token = staff.create_token(writable, "loket1", now=datetime.now(timezone.utc))
    writable.dispose()
    database = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    client = app_on(database, tmp_path).test_client()
    client.staff_headers = {"Authorization": f"Bearer {token}"}
    yield client
    database.dispose()


def issue(client, **headers):
    """A ticket asked for as a clerk would (the token is checked against the database too)."""
    headers = {"Authorization": "Bearer not-checked-before-the-database", **getattr(client, "staff_headers", {}),
               **headers}
    return client.post("/api/v1/offices/demo/tickets", json={"service": "A"}, headers=headers)


def assert_unavailable(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0


def test_a_ticket_asked_for_while_postgresql_is_down_gets_503_in_the_users_language(postgresql_gone):
    response = issue(postgresql_gone)
    assert_unavailable(response)
    assert response.get_json() == {"error": {"code": "unavailable", "message": INDONESIAN}}
    english = issue(postgresql_gone, **{"Accept-Language": "en"})
    assert_unavailable(english)
    assert english.get_json()["error"]["message"] == ENGLISH


def test_a_page_opened_while_postgresql_is_down_is_a_readable_503_page(postgresql_gone):
    response = postgresql_gone.get("/kiosk/demo")
    assert_unavailable(response)
    assert response.mimetype == "text/html" and INDONESIAN in response.get_data(as_text=True)


def test_health_says_unavailable_with_503_while_postgresql_is_down(postgresql_gone):
    response = postgresql_gone.get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable" and response.get_json()["database"] == "unreachable"


def test_a_ticket_on_a_read_only_database_gets_503_while_pages_still_read(read_only_sqlite):
    response = issue(read_only_sqlite)
    assert_unavailable(response)
    assert response.get_json()["error"]["code"] == "unavailable"
    assert read_only_sqlite.get("/api/v1/offices/demo/board").status_code == 200


def test_health_reports_a_database_that_answers_but_refuses_writes(read_only_sqlite):
    response = read_only_sqlite.get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json() | {"disk_free_mb": None} == {
        "status": "unavailable", "database": "not_writable", "redis": "not_configured", "disk": "ok",
        "disk_free_mb": None}


def test_a_full_disk_answers_503_with_retry_after(demo, tmp_path):
    app = app_on(demo, tmp_path)

    @app.get("/test/write-a-file")
    def write_a_file():
        with open("/dev/full", "wb") as full:   # the kernel's always-full device: ENOSPC
            full.write(b"ticket")
            full.flush()
        return "written"

    response = app.test_client().get("/test/write-a-file", headers={"Accept": "application/json"})
    assert_unavailable(response)
    assert response.get_json()["error"]["code"] == "unavailable"


@pytest.mark.postgres
def test_a_kiosk_asking_while_postgresql_is_down_gets_503_and_the_rate_limiter_logs_nothing(postgresql_gone,
                                                                                            caplog):
    """The per-device limit needs to know the caller, which needs the database: while it is
    down the request answers 503 from its own look-up, and the limiter stays quiet."""
    with caplog.at_level("DEBUG"):
        assert_unavailable(issue(postgresql_gone, Authorization="Bearer qk_" + "x" * 40))
    assert not [r for r in caplog.records if r.name.startswith(("flask-limiter", "flask_limiter"))
                and "Swallowing" in r.getMessage()]


def test_health_reports_a_disk_that_is_low_as_degraded_but_still_200(demo, tmp_path):
    response = app_on(demo, tmp_path, HEALTH_MIN_FREE_MB=10**12).test_client().get("/api/v1/health")
    assert response.status_code == 200
    health = response.get_json()
    assert health["status"] == "degraded" and health["disk"] == "low" and health["database"] == "ok"
    assert health["disk_free_mb"] >= 0


def test_health_reports_an_instance_folder_it_cannot_write_to(demo, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    response = app_on(demo, tmp_path, INSTANCE_PATH=blocked / "instance").test_client().get("/api/v1/health")
    assert response.status_code == 200 and response.get_json()["disk"] == "not_writable"
    assert response.get_json()["status"] == "degraded"


def test_health_reports_redis_unreachable_as_degraded_not_as_down(demo, tmp_path):
    app = app_on(demo, tmp_path, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 200
    assert response.get_json()["status"] == "degraded" and response.get_json()["redis"] == "unreachable"


def test_health_is_ok_when_everything_answers(demo, tmp_path):
    health = app_on(demo, tmp_path).test_client().get("/api/v1/health").get_json()
    assert health["status"] == "ok" and health["database"] == "ok" and health["disk"] == "ok"


def test_a_database_outage_is_logged_once_and_its_end_when_a_write_succeeds_again(demo, tmp_path, caplog):
    from queueapp.outages import DATABASE
    path = tmp_path / "queueapp.db"
    shutil.copy(demo.url.database, path)
    writable = Database(f"sqlite:///{path}")
    read_only = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    clerk = {"Authorization": f"Bearer {staff.create_token(writable, 'loket1', now=datetime.now(timezone.utc))}"}
    refusing, writing = app_on(read_only, tmp_path).test_client(), app_on(writable, tmp_path).test_client()
    try:
        with caplog.at_level("WARNING", logger="queueapp.outages"):
            for _ in range(5):
                assert_unavailable(issue(refusing, **clerk))
            assert issue(writing, **clerk).status_code == 201
    finally:
        read_only.dispose()
        writable.dispose()
    # Only the outage's own lines (the limiter logs its storage fallback, a test setting).
    assert [r.getMessage().split(" (")[0].split(" after")[0] for r in caplog.records
            if r.name == "queueapp.outages"] == [
        "The database is unavailable", "The database is available again"]
    assert not DATABASE.down


@pytest.mark.postgres
def test_a_read_only_postgresql_answers_503_to_a_ticket_and_health_says_not_writable(tmp_path):
    from queueapp.services.demo import seed_demo

    from ..support import create_pg_schema, drop_pg_schema
    schema, url = create_pg_schema()
    try:
        writable = Database(url)
        seed_demo(writable, example_holidays=False)
        clerk = {"Authorization": f"Bearer {staff.create_token(writable, 'loket1', now=datetime.now(timezone.utc))}"}
        writable.dispose()
        # As a standby after a fail-over: every transaction is read-only.
        standby = Database(url + "%20-cdefault_transaction_read_only%3Don")
        client = app_on(standby, tmp_path).test_client()
        assert_unavailable(issue(client, **clerk))
        health = client.get("/api/v1/health")
        assert health.status_code == 503 and health.get_json()["database"] == "not_writable"
        standby.dispose()
    finally:
        drop_pg_schema(schema)
