"""API tokens expire (QUEUEAPP_API_TOKEN_DAYS, or the days their creator gives): past it a
token answers 401 token_expired and its socket joins nothing. The token list shows when
each expires and was last used; a token can be revoked."""
from datetime import datetime, timedelta

from sqlalchemy import select

from queueapp.extensions import socketio
from queueapp.models import ApiToken
from queueapp.services import staff

from .admin_people_setup import (  # noqa: F401 - fixtures
    NOW, csrf_of, db, log_in, people, people_template)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def counter_one(client):
    return next(c["id"] for c in client.get("/api/v1/offices/demo/counters").get_json() if c["number"] == 1)


def test_a_token_past_its_days_answers_401_token_expired(any_db, client, people, clock):
    token = staff.create_token(people.db, "loket1", now=clock(), name="printer", days=1)
    open_counter = f"/api/v1/counters/{counter_one(client)}/state"
    assert client.post(open_counter, json={"state": "open"}, headers=bearer(token)).status_code == 200
    clock.advance(days=1)
    expired = client.post(open_counter, json={"state": "open"}, headers=bearer(token))
    assert expired.status_code == 401
    assert expired.get_json()["error"] == {
        "code": "token_expired", "message": "This API token has expired. Ask an administrator for a new one."}


def test_an_expired_tokens_socket_joins_nothing(app, client, people, clock):
    token = staff.create_token(people.db, "loket1", now=clock(), days=1)
    clock.advance(days=2)
    screen = socketio.test_client(app, auth={"token": token})
    screen.emit("subscribe", {"counter": counter_one(client)})
    assert [m["args"][0]["code"] for m in screen.get_received() if m["name"] == "error"] == ["unauthorized"]


def test_a_new_token_lasts_the_configured_days_unless_given_others(app, client, people, clock):
    app.config["API_TOKEN_DAYS"] = 7
    url = f"/api/v1/staff/{people.ids['loket2']}/tokens"
    default = client.post(url, json={"name": "kiosk script"}, headers=people.headers("admin"))
    assert default.status_code == 201
    assert datetime.fromisoformat(default.get_json()["expires_at"]) == clock() + timedelta(days=7)
    month = client.post(url, json={"name": "report", "days": 30}, headers=people.headers("admin"))
    assert datetime.fromisoformat(month.get_json()["expires_at"]) == clock() + timedelta(days=30)
    for days in (0, 3651, "30", None):
        refused = client.post(url, json={"name": "x", "days": days}, headers=people.headers("admin"))
        assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "invalid_input"


def test_the_token_list_shows_expiry_and_last_use(any_db, client, people, clock):
    url = f"/api/v1/staff/{people.ids['loket2']}/tokens"
    made = client.post(url, json={"name": "printer", "days": 10}, headers=people.headers("admin")).get_json()
    listed = client.get(url, headers=people.headers("admin")).get_json()
    assert [(t["name"], t["last_used_at"]) for t in listed] == [("printer", None)]
    clock.advance(hours=2)
    client.get("/api/v1/offices/demo/staff", headers=bearer(made["token"]))
    used = client.get(url, headers=people.headers("admin")).get_json()[0]
    assert datetime.fromisoformat(used["last_used_at"]) == clock()
    assert datetime.fromisoformat(used["expires_at"]) == clock() - timedelta(hours=2) + timedelta(days=10)
    assert "token" not in used and "token_hash" not in used


def test_last_use_is_written_at_most_every_few_minutes(client, people, clock):
    token = staff.create_token(people.db, "loket1", now=clock(), days=5)
    client.get("/api/v1/offices/demo/staff", headers=bearer(token))
    first = clock()
    clock.advance(minutes=1)
    client.get("/api/v1/offices/demo/staff", headers=bearer(token))
    with people.db.read() as s:
        stored = s.execute(select(ApiToken.last_used_at).where(ApiToken.expires_at == first + timedelta(days=5))
                           ).scalar_one()
    assert stored == first


def test_a_revoked_token_stops_at_once(client, people):
    url = f"/api/v1/staff/{people.ids['loket2']}/tokens"
    made = client.post(url, json={"name": "printer"}, headers=people.headers("admin")).get_json()
    assert client.delete(f"/api/v1/tokens/{made['id']}", headers=people.headers("admin")).status_code == 204
    assert client.get("/api/v1/offices/demo/staff", headers=bearer(made["token"])).status_code == 401


def test_the_admin_page_lists_tokens_with_their_expiry_and_marks_expired_ones(app, people, clock):
    staff.create_token(people.db, "loket2", now=clock(), name="old printer", days=1)
    clock.advance(days=3)
    browser = app.test_client()
    log_in(browser, "admin")
    page = browser.get(f"/admin/demo/staff/{people.ids['loket2']}?lang=en")
    text = page.get_data(as_text=True)
    assert "old printer" in text and "(expired)" in text and "Last used" in text
    made = browser.post(f"/admin/demo/staff/{people.ids['loket2']}/tokens",
                        data={"name": "new printer", "days": "14", "csrf_token": csrf_of(page.data)})
    assert made.status_code == 201
    with people.db.read() as s:
        row = s.execute(select(ApiToken).where(ApiToken.name == "new printer")).scalar_one()
    assert row.expires_at == clock() + timedelta(days=14)


def test_the_command_line_makes_a_token_for_the_given_days(tmp_path):
    from .test_cli import run
    env = {"QUEUEAPP_INSTANCE_PATH": str(tmp_path)}
    assert run(["db", "upgrade"], env).returncode == 0
    assert run(["create-user", "pemilik", "--role", "owner", "--password", "rahasia123"], env).returncode != 0
    assert run(["create-user", "pemilik", "--role", "owner", "--password", "teh-manis-hangat"], env).returncode == 0
    made = run(["create-token", "pemilik", "--days", "3", "--name", "backup script"], env)
    assert made.returncode == 0, made.stderr
    from queueapp.db import Database
    database = Database(f"sqlite:///{tmp_path / 'queueapp.db'}")
    with database.read() as s:
        row = s.execute(select(ApiToken)).scalar_one()
    database.dispose()
    assert row.name == "backup script"
    assert row.expires_at - row.created_at == timedelta(days=3)
