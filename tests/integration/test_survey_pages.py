"""The citizen's survey: the status page of a finished ticket leads to it; the page works as
a plain form POST without JavaScript, keeps the answers on a refusal and names what is
missing, in Indonesian and English; the API answers and publishes the index (no comments)."""
from __future__ import annotations

import logging
import re
from datetime import timedelta

from .skm_support import answers, issue, serve

FORM = {f"u{n}": str(score) for n, score in zip(range(1, 10), (4, 3, 3, 4, 3, 4, 4, 3, 3))}


def test_the_status_page_of_a_finished_ticket_invites_to_the_survey(client, demo, clock):
    # The invitation shows only inside a finished ticket (status.js keeps data-status live).
    assert ".ticket:not([data-status=done]) .survey-invite{display:none}" in \
        client.get("/static/status/status.css").get_data(as_text=True)
    waiting = issue(demo, clock)["token"]
    assert 'data-status="waiting"' in client.get(f"/t/{waiting}").get_data(as_text=True)
    token = serve(demo, clock, "B")
    html = client.get(f"/t/{token}").get_data(as_text=True)
    assert 'data-status="done"' in html and '<section id="survey-invite" class="notice survey-invite">' in html
    assert f'href="/t/{token}/survei"' in html and "Nilai pelayanan kami" in html


def test_the_form_shows_nine_questions_with_four_answers_each_in_indonesian(client, demo, clock):
    html = client.get(f"/t/{serve(demo, clock)}/survei").get_data(as_text=True)
    assert html.count('type="radio"') == 36 and html.count('<fieldset class="question') == 9
    assert "kesesuaian persyaratan pelayanan" in html and "Sangat sopan dan ramah" in html
    assert "<script" not in html.split("</main>")[0].split("<main>")[1]   # no JavaScript needed


def test_the_form_is_in_english_when_asked(client, demo, clock):
    html = client.get(f"/t/{serve(demo, clock)}/survei?lang=en").get_data(as_text=True)
    assert "Did the requirements match the service you received?" in html and "Very polite and friendly" in html


def test_a_plain_form_post_stores_the_answers_and_shows_only_thanks(client, demo, clock, caplog):
    caplog.set_level(logging.DEBUG)
    token = serve(demo, clock)
    response = client.post(f"/t/{token}/survei", data={**FORM, "sex": "male", "comment": "Petugas ramah"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/t/{token}/survei/terima-kasih")
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="survey-thanks"' in thanks and "Terima kasih!" in thanks and "Petugas ramah" not in thanks
    again = client.get(f"/t/{token}/survei").get_data(as_text=True)
    assert 'id="survey-answered"' in again and 'type="radio"' not in again
    second = client.post(f"/t/{token}/survei", data=FORM)
    assert second.status_code == 409 and 'id="survey-answered"' in second.get_data(as_text=True)
    assert "Petugas ramah" not in caplog.text


def test_a_refused_form_keeps_the_answers_and_names_the_open_questions(client, demo, clock):
    token = serve(demo, clock)
    partial = {key: value for key, value in FORM.items() if key not in ("u3", "u8")}
    response = client.post(f"/t/{token}/survei?lang=en", data={**partial, "education": "sma", "comment": "Cepat"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not answered yet: 3, 8." in html
    assert '<fieldset class="question missing" id="q3">' in html and '<fieldset class="question missing" id="q8">' in html
    assert re.search(r'id="u1-4" value="4" checked', html) and re.search(r'id="u9-3" value="3" checked', html)
    assert not re.search(r'id="u3-\d" value="\d" checked', html)
    assert '<option value="sma" selected>' in html and ">Cepat</textarea>" in html


def test_an_unfinished_ticket_says_the_survey_opens_later(client, demo, clock):
    token = issue(demo, clock)["token"]
    html = client.get(f"/t/{token}/survei").get_data(as_text=True)
    assert 'id="survey-not-finished"' in html and "Survei dibuka setelah layanan Anda selesai" in html
    assert client.post(f"/t/{token}/survei", data=FORM).status_code == 409


def test_an_unknown_ticket_gets_the_friendly_404(client, demo):
    assert client.get("/t/nope/survei").status_code == 404
    assert client.post("/t/nope/survei", data=FORM).status_code == 404


def test_at_the_counter_the_thanks_page_leads_nowhere_else(client, demo, clock):
    token = serve(demo, clock)
    form = client.get(f"/t/{token}/survei?loket=1").get_data(as_text=True)
    assert f'action="/t/{token}/survei?loket=1"' in form
    response = client.post(f"/t/{token}/survei?loket=1", data=FORM)
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Terima kasih!" in thanks and f'href="/t/{token}"' not in thanks


def test_the_api_takes_an_answer_once_and_names_a_bad_element(client, demo, clock):
    token = serve(demo, clock)
    bad = client.post(f"/api/v1/tickets/{token}/survey", json={"answers": {**answers(*[3] * 9), "5": 9}},
                      headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_answer"
    assert "element 5" in bad.get_json()["error"]["message"]
    missing = client.post(f"/api/v1/tickets/{token}/survey", json={"answers": answers(*[3] * 7)})
    assert missing.status_code == 422 and "8, 9" in missing.get_json()["error"]["message"]
    ok = client.post(f"/api/v1/tickets/{token}/survey", json={"answers": answers(*[3] * 9), "profile": {"sex": "female"},
                                                             "comment": "Ruang tunggu panas"})
    assert ok.status_code == 201
    again = client.post(f"/api/v1/tickets/{token}/survey", json={"answers": answers(*[3] * 9)})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_answered"
    assert client.post("/api/v1/tickets/nope/survey", json={"answers": answers(*[3] * 9)}).status_code == 404


def test_the_api_refuses_an_unfinished_ticket_and_a_closed_survey(client, demo, clock):
    waiting = issue(demo, clock)["token"]
    refused = client.post(f"/api/v1/tickets/{waiting}/survey", json={"answers": answers(*[3] * 9)})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "ticket_not_finished"
    token = serve(demo, clock)
    clock.advance(days=7, minutes=1)
    closed = client.post(f"/api/v1/tickets/{token}/survey", json={"answers": answers(*[3] * 9)})
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "survey_closed"


def test_the_public_index_has_the_figures_and_no_comment(client, demo, clock, caplog):
    caplog.set_level(logging.DEBUG)
    for scores in ((4,) * 9, (3,) * 9):
        client.post(f"/api/v1/tickets/{serve(demo, clock)}/survey",
                    json={"answers": answers(*scores), "comment": "rahasia-komentar-123"})
    day = clock().date().isoformat()
    body = client.get(f"/api/v1/offices/demo/skm?from={day}&to={day}").get_json()
    assert body["respondents"] == 2 and body["ikm"] == 3.5 and body["ikm_converted"] == 87.5
    assert body["category"] == {"letter": "B", "label": "baik"} and body["nrr"]["1"] == 3.5
    assert "rahasia-komentar-123" not in str(body)
    assert "rahasia-komentar-123" not in caplog.text
    assert client.get(f"/api/v1/offices/demo/skm?from={day}&service=B").get_json()["respondents"] == 0


def test_the_public_index_refuses_bad_or_too_long_ranges(client, demo, clock):
    assert client.get("/api/v1/offices/demo/skm?from=2026-13-01").status_code == 422
    assert client.get("/api/v1/offices/demo/skm").status_code == 422
    assert client.get("/api/v1/offices/demo/skm?from=2026-11-02&to=2026-11-01").status_code == 422
    assert client.get("/api/v1/offices/demo/skm?from=2024-01-01&to=2026-11-01").status_code == 422
    assert client.get("/api/v1/offices/nowhere/skm?from=2026-11-01").status_code == 404
    assert client.get("/api/v1/offices/demo/skm?from=2026-11-01&service=Z").status_code == 404
