"""The request path's own pieces (queueapp.QueueApp, JSONAnswers, the remember-me hook):
what Flask would do, done once."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from ..support import csrf_of, log_in


def test_json_answers_keep_the_order_they_were_built_in_and_flask_s_encoding(app):
    moment = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
    document = {"zeta": 1, "alpha": "Antrean \u00e9", "when": moment, "nested": {"b": [1, 2], "a": None}}
    with app.test_request_context("/"):
        body = app.json.response(document).get_data(as_text=True)
        flask_body = json.dumps(document, default=app.json.default, ensure_ascii=True, separators=(",", ":"))
    assert body == flask_body + "\n"
    assert list(json.loads(body)) == ["zeta", "alpha", "when", "nested"]
    assert "\\u00e9" in body and "Sat, 28 Nov 2026 08:00:00 GMT" in body


def test_json_answers_are_indented_when_asked_like_flask_s(app):
    app.json.compact = False
    with app.test_request_context("/"):
        assert app.json.response({"a": 1}).get_data(as_text=True) == '{\n  "a": 1\n}\n'


def test_a_plain_function_is_kept_as_it_is_and_a_coroutine_function_goes_to_flask(app):
    def plain():
        return "ok"

    async def coroutine():
        return "ok"
    assert app.ensure_sync(plain) is plain and app.ensure_sync(plain) is plain
    with pytest.raises(RuntimeError, match="async"):   # Flask's answer without flask[async]
        app.ensure_sync(coroutine)
    with pytest.raises(RuntimeError, match="async"):   # and again: never taken for a plain one
        app.ensure_sync(coroutine)


def test_an_api_answer_without_a_session_sets_no_cookie_and_a_log_in_and_out_still_work(demo, client):
    answer = client.get("/api/v1/health")
    assert "Set-Cookie" not in answer.headers and "Cookie" not in answer.headers.get("Vary", "")
    log_in(client)
    page = client.get("/counter/1")
    assert page.status_code == 200
    client.post("/logout", data={"csrf_token": csrf_of(page.data)})
    assert client.get("/counter/1").status_code == 302   # to the log-in page
