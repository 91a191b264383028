"""An office's recorded voice: uploaded in /admin/<office>/voice, checked, listed, played by
the office's displays before the generated (espeak-ng) clips, deleted again."""
import io
import json
import re
import wave
from pathlib import Path

import pytest

from queueapp import assets, voice_clips
from .. import support
from ..support import csrf_of

OGG = b"OggS\x00\x02" + b"\x00" * 200
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400


def wav_bytes(seconds=0.3) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(b"\x00\x00" * int(16000 * seconds))
    return out.getvalue()


def config_of(response) -> dict:
    match = re.search(rb'<script type="application/json" id="display-config">(.*?)</script>', response.data, re.S)
    return json.loads(match.group(1))


def as_admin(client):
    assert support.log_in(client, "admin").status_code == 302
    return csrf_of(client.get("/admin/demo/voice").data)


def upload(client, token, clip, data, filename):
    return client.post("/admin/demo/voice", data={"csrf_token": token, "clip": clip,
                                                  "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("username", ["loket1", "supervisor"])
def test_only_an_office_admin_may_see_or_change_the_voice(client, demo, username):
    assert support.log_in(client, username).status_code == 302
    assert client.get("/admin/demo/voice").status_code == 403
    token = csrf_of(client.get("/counter").data)     # the staff bar's log-out form
    assert upload(client, token, "id/seratus", MP3, "seratus.mp3").status_code == 403


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_log_in_page(client, demo):
    assert client.get("/admin/demo/voice").status_code in (302, 401)


def test_the_page_lists_every_clip_of_the_plan_as_generated_until_one_is_recorded(client, demo):
    as_admin(client)
    page = client.get("/admin/demo/voice").data.decode()
    assert page.count('data-source="generated"') == len(voice_clips.PLAN)
    assert 'data-clip="id/letter_a"' in page and 'data-clip="en/hundred"' in page and 'data-clip="chime"' in page


def test_an_uploaded_recording_is_listed_and_the_display_plays_it_instead_of_espeak(app, client, demo):
    token = as_admin(client)
    response = upload(client, token, "id/seratus", MP3, "Seratus.MP3")
    assert response.status_code == 302
    page = client.get("/admin/demo/voice").data.decode()
    assert 'data-clip="id/seratus" data-source="office"' in page
    assert (Path(app.instance_path) / "sounds" / "demo" / "id" / "seratus.mp3").read_bytes() == MP3

    # The display's page names the recording, and its sound plan for a call uses it.
    config = config_of(client.get("/display/demo"))
    url = config["recorded"]["id/seratus"]
    assert url.startswith("/display/demo/sounds/id/seratus.mp3?v=")
    plan = client.get("/display/demo/announce?number=A-123&counter=3&lang=id").get_json()
    assert url in plan["clips"]
    assert plan["clips"][1] == "/display/demo/sounds/id/nomor_antrian.ogg"   # not recorded: generated
    played = client.get(url)
    assert played.data == MP3 and played.mimetype == "audio/mpeg"
    # The generated clip's URL now serves the recording too (a display loaded before the upload).
    assert client.get("/display/demo/sounds/id/seratus.ogg").data == MP3


def test_a_new_recording_in_another_format_replaces_the_old_one(app, client, demo):
    token = as_admin(client)
    assert upload(client, token, "id/loket", MP3, "loket.mp3").status_code == 302
    assert upload(client, token, "id/loket", wav_bytes(), "loket.wav").status_code == 302
    folder = Path(app.instance_path) / "sounds" / "demo" / "id"
    assert sorted(p.name for p in folder.iterdir()) == ["loket.wav"]
    assert client.get("/display/demo/sounds/id/loket.ogg").mimetype == "audio/wav"


@pytest.mark.parametrize("clip, data, filename, status, message", [
    ("id/seratus", b"this is not a sound", "seratus.mp3", 422, "Unggah berkas suara WAV, MP3 atau Ogg."),
    ("id/seratus", OGG, "seratus.mp3", 422, "Unggah berkas suara WAV, MP3 atau Ogg."),   # name and content disagree
    ("id/seratus", b"<svg></svg>", "seratus.svg", 422, "Unggah berkas suara WAV, MP3 atau Ogg."),
    ("id/seratus", b"", "seratus.ogg", 422, None),
    ("id/seratus", b"OggS" + b"\x00" * (voice_clips.MAX_BYTES + 10), "seratus.ogg", 413,
     "Berkas terlalu besar (paling besar 2 MB untuk satu klip)."),
    ("id/../../secret", OGG, "x.ogg", 422, None),
    ("fr/cent", OGG, "x.ogg", 422, None),
])
def test_a_file_that_is_not_a_clip_of_the_plan_is_refused_and_nothing_is_stored(
        app, client, demo, clip, data, filename, status, message):
    token = as_admin(client)
    response = upload(client, token, clip, data, filename)
    assert response.status_code == status
    if message:
        assert message in response.data.decode()
    assert not (Path(app.instance_path) / "sounds" / "demo").exists()


def test_a_deleted_recording_gives_the_word_back_to_the_generated_voice(app, client, demo):
    token = as_admin(client)
    upload(client, token, "id/letter_a", OGG, "a.ogg")
    assert client.get("/display/demo/sounds/id/letter_a.ogg").data == OGG
    response = client.post("/admin/demo/voice/id/letter_a/delete", data={"csrf_token": token})
    assert response.status_code == 302
    packaged = assets.folder("display") / "sounds" / "id" / "letter_a.ogg"
    assert client.get("/display/demo/sounds/id/letter_a.ogg").data == packaged.read_bytes()
    assert "id/letter_a" not in config_of(client.get("/display/demo"))["recorded"]


def test_a_recording_for_every_office_is_used_unless_the_office_has_its_own(app, client, demo):
    default = Path(app.instance_path) / "sounds" / "default" / "id"
    default.mkdir(parents=True)
    (default / "tiga.ogg").write_bytes(OGG)
    assert client.get("/display/demo/sounds/id/tiga.ogg").data == OGG
    token = as_admin(client)
    upload(client, token, "id/tiga", MP3, "tiga.mp3")
    assert client.get("/display/demo/sounds/id/tiga.ogg").data == MP3


def test_a_clip_outside_the_plan_is_not_served(app, client, demo):
    (Path(app.instance_path) / "secret_key").write_text("do-not-serve")
    for url in ("/display/demo/sounds/../secret_key", "/display/demo/sounds/id/nothing.ogg",
                "/display/demo/sounds/%2E%2E/%2E%2E/secret_key.ogg"):
        response = client.get(url)
        assert b"do-not-serve" not in response.data and response.status_code == 404, url


def test_uploading_and_deleting_a_recording_are_in_the_audit_log(client, demo):
    token = as_admin(client)
    upload(client, token, "id/dua", MP3, "dua.mp3")
    client.post("/admin/demo/voice/id/dua/delete", data={"csrf_token": token})
    log = client.get("/admin/demo/audit").data.decode()
    assert log.count("voice:id/dua") == 2 and f"recorded (mp3, {len(MP3)} bytes)" in log
