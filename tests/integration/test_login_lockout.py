"""Failed staff log-ins are limited per account and per client address; over a limit the
log-in is refused before any password is hashed, with a clear message, until the window
ends, a success or an administrator's password reset."""
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from queueapp import create_app
from queueapp.models import AuditEntry, StaffUser
from queueapp.services import staff, staff_login
from queueapp.services.login_throttle import LoginThrottle
from queueapp.web.auth import login_throttle

from ..support import REDIS_URL, csrf_of, log_in, redis_or_skip

RIGHT = "demo12345"


def app_with(demo, clock, tmp_path, monkeypatch, **limits):
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))
    settings = {"LOGIN_LOCKOUT": "3 per 15 minutes", "LOGIN_RATE_LIMIT": "", **limits}
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "QUEUEAPP_CLOCK": clock, **settings},
                      database=demo)


@pytest.fixture
def hashes(monkeypatch):
    """Counts the password hashes the log-in computes."""
    calls = []
    check = staff_login.check_password_hash

    def counting(stored, password):
        calls.append(1)
        return check(stored, password)
    monkeypatch.setattr(staff_login, "check_password_hash", counting)
    return calls


def fail(client, times: int, username: str = "loket1", **environ):
    for _ in range(times):
        assert log_in(client, username, "not-the-password", **environ).status_code == 401


def test_after_three_failures_even_the_right_password_is_refused_with_a_clear_message(demo, clock, tmp_path,
                                                                                    monkeypatch):
    client = app_with(demo, clock, tmp_path, monkeypatch).test_client()
    fail(client, 3)
    locked = log_in(client, "loket1", RIGHT)
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit." in locked.get_data(as_text=True)
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert client.get("/counter").status_code == 302  # not logged in
    with demo.read() as s:
        failures = s.execute(select(AuditEntry.changes).where(AuditEntry.action == "staff.login_failed")
                             .order_by(AuditEntry.id)).scalars().all()
    # The log shows the failure that began the lock; refused log-ins while locked write nothing.
    assert failures == [{"reason": "wrong_password"}] * 2 + [{"reason": "wrong_password", "locked": True}]
    client.set_cookie("lang", "en")  # the language switch of the page
    english = log_in(client, "loket1", RIGHT)
    assert "Too many log-in attempts. Try again in 15 minutes." in english.get_data(as_text=True)


def test_a_locked_log_in_computes_no_password_hash(demo, clock, tmp_path, monkeypatch, hashes):
    client = app_with(demo, clock, tmp_path, monkeypatch).test_client()
    fail(client, 3)
    assert len(hashes) == 3
    for _ in range(20):
        assert log_in(client, "loket1", "another-guess").status_code == 429
    assert len(hashes) == 3


def test_guesses_sent_in_parallel_are_counted_before_any_is_hashed(demo, clock, tmp_path, monkeypatch, hashes):
    app = app_with(demo, clock, tmp_path, monkeypatch)
    clients = [app.test_client() for _ in range(12)]
    tokens = [csrf_of(client.get("/login").data) for client in clients]
    start = threading.Barrier(len(clients))

    def guess(client, token):
        start.wait()
        return client.post("/login", data={"username": "loket1", "password": "tebakan-acak", "csrf_token": token})
    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = sorted(r.status_code for r in pool.map(guess, clients, tokens))
    assert statuses == [401] * 3 + [429] * 9
    assert len(hashes) == 3


def test_a_client_asking_for_json_gets_429_in_the_one_error_shape(demo, clock, tmp_path, monkeypatch):
    client = app_with(demo, clock, tmp_path, monkeypatch).test_client()
    fail(client, 3)
    token = csrf_of(client.get("/login").data)
    answer = client.post("/login", data={"username": "loket1", "password": RIGHT, "csrf_token": token},
                         headers={"Accept": "application/json"})
    assert answer.status_code == 429 and answer.headers["Retry-After"]
    assert answer.get_json()["error"] == {"code": "login_locked",
                                          "message": "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit."}


def test_the_lock_is_per_account_other_members_still_log_in(demo, clock, tmp_path, monkeypatch):
    client = app_with(demo, clock, tmp_path, monkeypatch).test_client()
    fail(client, 3, "loket1")
    assert log_in(client, "loket2", RIGHT).status_code == 302


def test_one_address_is_limited_across_accounts_another_address_is_not(demo, clock, tmp_path, monkeypatch,
                                                                      hashes):
    client = app_with(demo, clock, tmp_path, monkeypatch, LOGIN_LOCKOUT="",
                      LOGIN_RATE_LIMIT="5 per 10 minutes").test_client()
    guesser = {"REMOTE_ADDR": "203.0.113.9"}
    for name in ("loket1", "loket2", "loket3", "nobody", "supervisor"):
        fail(client, 1, name, **guesser)
    assert log_in(client, "loket4", RIGHT, **guesser).status_code == 429
    assert len(hashes) == 5
    assert log_in(client, "loket4", RIGHT, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_a_success_resets_the_account_count(demo, clock, tmp_path, monkeypatch):
    client = app_with(demo, clock, tmp_path, monkeypatch).test_client()
    fail(client, 2)
    assert log_in(client, "loket1", RIGHT).status_code == 302
    other = app_with(demo, clock, tmp_path, monkeypatch).test_client()
    fail(other, 2)
    assert log_in(other, "loket1", RIGHT).status_code == 302


def test_an_administrators_password_reset_lifts_the_lock(demo, clock, tmp_path, monkeypatch):
    app = app_with(demo, clock, tmp_path, monkeypatch)
    client = app.test_client()
    fail(client, 3)
    assert log_in(client, "loket1", RIGHT).status_code == 429
    admin = {"Authorization": f"Bearer {staff.create_token(demo, 'admin', now=clock())}"}
    with demo.read() as s:
        loket1 = s.execute(select(StaffUser.id).where(StaffUser.username == "loket1")).scalar_one()
    changed = client.patch(f"/api/v1/staff/{loket1}", json={"password": "teh-manis-hangat"}, headers=admin)
    assert changed.status_code == 200, changed.get_json()
    assert log_in(client, "loket1", "teh-manis-hangat").status_code == 302


def test_the_lock_ends_by_itself_when_its_window_ends(demo, clock, tmp_path, monkeypatch):
    app = app_with(demo, clock, tmp_path, monkeypatch, LOGIN_LOCKOUT="2 per 5 seconds")
    client = app.test_client()
    with app.app_context():
        for _ in range(2):  # two failed attempts at once (a log-in through the form hashes: slow)
            login_throttle().attempt("loket1", "127.0.0.1")
    locked = log_in(client, "loket1", RIGHT)
    assert locked.status_code == 429
    time.sleep(int(locked.headers["Retry-After"]) + 0.2)
    assert log_in(client, "loket1", RIGHT).status_code == 302


def test_empty_settings_turn_the_limits_off(demo, clock, tmp_path, monkeypatch):
    client = app_with(demo, clock, tmp_path, monkeypatch, LOGIN_LOCKOUT="", LOGIN_RATE_LIMIT="").test_client()
    fail(client, 12)
    assert log_in(client, "loket1", RIGHT).status_code == 302


def test_a_name_that_matches_no_account_is_not_kept_in_the_audit_log(demo, clock, tmp_path, monkeypatch):
    client = app_with(demo, clock, tmp_path, monkeypatch).test_client()
    # Someone typed their password into the name field.
    assert log_in(client, "kopi-tubruk-2026", "whatever", REMOTE_ADDR="10.1.2.3").status_code == 401
    with demo.read() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "staff.login_failed")
                          .order_by(AuditEntry.id.desc())).scalars().first()
        stored = [str(value) for row in s.execute(select(AuditEntry)).scalars()
                  for value in (row.username, row.target, row.changes)]
    assert (entry.username, entry.address, entry.changes) == (staff_login.UNKNOWN_ACCOUNT, "10.1.2.3",
                                                             {"reason": "unknown_user"})
    assert not any("kopi-tubruk" in value for value in stored)


@pytest.mark.redis
def test_every_process_sees_the_same_lock_through_redis(demo, clock, tmp_path, monkeypatch, hashes):
    redis_or_skip()
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL, "LOGIN_LOCKOUT": "3 per 15 minutes"}
    first = app_with(demo, clock, tmp_path, monkeypatch, **settings).test_client()
    second = app_with(demo, clock, tmp_path, monkeypatch, **settings).test_client()
    throttle = LoginThrottle.of(REDIS_URL, lockout="3 per 15 minutes", per_address="")
    throttle.clear("loket1")
    try:
        fail(first, 2, REMOTE_ADDR=address)
        fail(second, 1, REMOTE_ADDR=address)
        assert log_in(first, "loket1", RIGHT, REMOTE_ADDR=address).status_code == 429
        assert log_in(second, "loket1", RIGHT, REMOTE_ADDR=address).status_code == 429
        assert len(hashes) == 3
    finally:
        throttle.clear("loket1")
