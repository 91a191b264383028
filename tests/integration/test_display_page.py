"""The lobby display page, its settings in the URL, its assets and its spoken phrases."""
import json
import re
from pathlib import Path

import pytest

from queueapp import assets
from ..support import pair_browser


def config_of(response) -> dict:
    match = re.search(rb'<script type="application/json" id="display-config">(.*?)</script>', response.data, re.S)
    return json.loads(match.group(1))


def test_the_display_is_indonesian_by_default_even_on_an_english_browser(client, demo):
    response = client.get("/display/demo", headers={"Accept-Language": "en-US"})
    assert response.status_code == 200
    config = config_of(response)
    assert config["lang"] == "id" and config["timezone"] == "Asia/Jakarta" and config["zone"] == "WIB"
    assert "Mulai tampilan" in config["texts"]["start"]


def test_a_display_takes_its_filters_language_repeat_and_speech_from_the_url(client, demo):
    config = config_of(client.get("/display/demo?services=a,B&counters=1,3&lang=en&repeat=2&speech=1&history=4"))
    assert config["filters"] == {"services": ["A", "B"], "counters": [1, 3]}
    # ?history=N (previous calls) still works: N previous calls and the newest one.
    assert (config["lang"], config["repeat"], config["speech"], config["calls"]) == ("en", 2, True, 5)
    assert config["texts"]["start"] == "Start display and enable sound"


@pytest.mark.parametrize("query, status", [("services=Z", 404), ("counters=one", 422), ("repeat=9", 422),
                                           ("history=-1", 422), ("calls=0", 422), ("calls=9", 422)])
def test_bad_display_settings_get_a_plain_error_page(client, demo, query, status):
    response = client.get(f"/display/demo?{query}")
    assert response.status_code == status and b"data-error" in response.data


def test_an_unknown_office_has_no_display(client, demo):
    assert client.get("/display/nowhere").status_code == 404


def test_the_phrase_of_a_call_comes_with_the_urls_of_its_clips(client, demo):
    body = client.get("/display/demo/announce?number=A-123&counter=3&lang=id").get_json()
    assert body["text"] == "Nomor antrian A seratus dua puluh tiga, silakan menuju loket tiga."
    assert body["clips"][0] == "/display/demo/sounds/chime.ogg"
    assert body["clips"][1] == "/display/demo/sounds/id/nomor_antrian.ogg"
    for url in body["clips"]:
        clip = client.get(url)
        assert clip.status_code == 200 and clip.mimetype == "audio/ogg"


@pytest.mark.parametrize("query", ["number=A-1&counter=0", "number=&counter=1", "number=A-1&counter=1&lang=fr",
                                   "number=%3Cb%3E&counter=1"])
def test_a_bad_announcement_request_is_a_json_error_not_a_crash(client, demo, query):
    response = client.get(f"/display/demo/announce?{query}", headers={"Accept": "application/json"})
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "invalid_input"


def test_the_display_page_carries_no_personal_data_or_ticket_tokens(client, demo):
    pair_browser(client, demo)
    ticket = client.post("/api/v1/offices/demo/tickets", json={"service": "A"}).get_json()
    page = client.get("/display/demo").data.decode()
    assert ticket["token"] not in page and "Kantor Kecamatan Demo" in page
    for asset in ("display.js", "announcer.js", "display.css"):
        assert client.get(f"/display-assets/{asset}").status_code == 200


def test_an_office_recording_in_the_instance_folder_replaces_the_packaged_clip(app, client, demo):
    own = Path(app.instance_path) / "sounds" / "id"
    own.mkdir(parents=True)
    (own / "nomor_antrian.ogg").write_bytes(b"OggS recorded at the office")
    body = client.get("/display/demo/announce?number=A-1&counter=1&lang=id").get_json()
    assert body["clips"][1] == "/display/demo/sounds/id/nomor_antrian.ogg"
    assert client.get(body["clips"][1]).data == b"OggS recorded at the office"
    assert client.get("/display-assets/sounds/id/nomor_antrian.ogg").data == b"OggS recorded at the office"
    packaged = assets.folder("display") / "sounds"
    assert client.get("/display-assets/sounds/id/loket.ogg").data == (packaged / "id" / "loket.ogg").read_bytes()
    assert client.get("/display-assets/sounds/chime.ogg").data == (packaged / "chime.ogg").read_bytes()


def test_a_sound_url_cannot_climb_out_of_the_sounds_folders(app, client, demo):
    (Path(app.instance_path) / "secret_key").write_text("do-not-serve")
    for url in ("/display-assets/sounds/../secret_key", "/display-assets/sounds/..%2Fsecret_key",
                "/display-assets/sounds/%2E%2E/secret_key"):
        response = client.get(url)
        assert b"do-not-serve" not in response.data and response.status_code == 404, url
