"""A staff log-in lives on the server: logging out ends it for every copy of its cookie
(and its live sockets) while the member's other log-ins go on; a member changing their
own password ends their other log-ins; a session idle past its lifetime is refused by the
server itself."""
from datetime import timedelta

from sqlalchemy import select

from queueapp.extensions import socketio
from queueapp.models import AuditEntry

from ..support import csrf_of, log_in

NEW = "teh-manis-hangat"


def copy_of(app, browser):
    """Another browser holding a copy of this browser's session cookie (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    return thief


def log_out(browser):
    token = csrf_of(browser.get("/counter").data)
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302


def change_password(browser, current="demo12345", new=NEW, confirm=None):
    token = csrf_of(browser.get("/staff/password").data)
    return browser.post("/staff/password", data={"current_password": current, "new_password": new,
                                                 "confirm": confirm or new, "csrf_token": token})


def test_a_cookie_copied_before_logout_no_longer_works(any_db, app, demo):
    browser = app.test_client()
    log_in(browser)
    thief = copy_of(app, browser)
    assert thief.get("/counter").status_code == 200
    log_out(browser)
    assert thief.get("/counter").status_code == 302
    assert thief.get("/api/v1/offices/demo/counters").status_code in (200, 401)  # public list or refused
    assert thief.post("/api/v1/counters/1/state", json={"state": "open"}).status_code == 401


def test_logging_out_in_one_browser_leaves_the_members_other_log_ins(app, demo):
    counter_pc, office_pc = app.test_client(), app.test_client()
    log_in(counter_pc)
    log_in(office_pc)
    log_out(office_pc)
    assert counter_pc.get("/counter").status_code == 200
    assert office_pc.get("/counter").status_code == 302


def test_changing_ones_own_password_ends_the_other_log_ins_but_not_this_one(any_db, app, demo):
    here, elsewhere = app.test_client(), app.test_client()
    log_in(here)
    log_in(elsewhere)
    changed = change_password(here)
    assert changed.status_code == 302
    assert here.get("/counter").status_code == 200
    assert elsewhere.get("/counter").status_code == 302
    assert log_in(app.test_client(), "loket1", "demo12345").status_code == 401
    assert log_in(app.test_client(), "loket1", NEW).status_code == 302
    with demo.read() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "staff.password_changed")).scalar_one()
    assert entry.username == "loket1" and entry.changes == {"sessions_ended": 1}


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(app, demo):
    browser = app.test_client()
    log_in(browser)
    browser.set_cookie("lang", "en")
    wrong = change_password(browser, current="not-mine-123")
    assert wrong.status_code == 422 and "The current password is not right." in wrong.get_data(as_text=True)
    weak = change_password(browser, new="rahasia123")
    assert weak.status_code == 422 and "most common passwords" in weak.get_data(as_text=True)
    differ = change_password(browser, confirm="teh-manis-dingin")
    assert differ.status_code == 422
    assert log_in(app.test_client(), "loket1", "demo12345").status_code == 302


def test_the_password_page_needs_a_log_in(client, demo):
    assert client.get("/staff/password").status_code == 302


def test_a_session_idle_longer_than_its_lifetime_is_refused_by_the_server(app, demo, clock):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=30)
    browser = app.test_client()
    log_in(browser)
    clock.advance(minutes=20)
    assert browser.get("/counter").status_code == 200
    # The cookie is refreshed on every request, but a copy kept unused for longer than the
    # lifetime no longer works, whatever its signature's age.
    thief = copy_of(app, browser)
    clock.advance(minutes=40)
    assert thief.get("/counter").status_code == 302


def test_logout_disconnects_the_sockets_of_that_log_in_only(app, demo):
    counter_pc, office_pc = app.test_client(), app.test_client()
    log_in(counter_pc, "supervisor")
    log_in(office_pc, "supervisor")
    counter_screen = socketio.test_client(app, flask_test_client=counter_pc)
    office_screen = socketio.test_client(app, flask_test_client=office_pc)
    log_out(office_pc)
    assert not office_screen.is_connected()
    assert counter_screen.is_connected()


def test_a_password_change_disconnects_the_sockets_of_the_other_log_ins(app, demo):
    here, elsewhere = app.test_client(), app.test_client()
    log_in(here, "supervisor")
    log_in(elsewhere, "supervisor")
    own_screen = socketio.test_client(app, flask_test_client=here)
    other_screen = socketio.test_client(app, flask_test_client=elsewhere)
    assert change_password(here).status_code == 302
    assert not other_screen.is_connected()
    assert own_screen.is_connected()


def test_no_remember_me_cookie_outlives_the_session(app, demo):
    browser = app.test_client()
    log_in(browser)
    assert browser.get_cookie("remember_token") is None
