"""The lobby display on real TVs: landscape 1366x768 to 4K and a portrait 1080x1920, with a
long office name, long service names and several calls at once; a zone display and a
transferred ticket; the office's recorded voice.

Size rule (display.css, docs/DISPLAY.md): no text on the board smaller than 4.5 % of the
screen's short side (cap height of 16 arcminutes at 3 m on a 43-inch TV).
"""
import json
import os
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import text

from queueapp.db import Database

from .conftest import kiosk_headers, prepare_instance, staff_token
from ..live_server import LiveServer

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080), (1080, 1920), (3840, 2160)]
LONG_NAMES = {   # longer than the issue's "KTP-el (Rekam / Cetak Ulang)", in both languages
    "A": ("KTP-el (Rekam / Cetak Ulang) dan Perubahan Data",
          "Electronic ID card (record / reprint) and data change"),
    "F": ("Surat Keterangan (SKTM, Domisili, Pengantar Nikah)",
          "Certificates (low income, residence, marriage letter)"),
}
OFFICE_NAME = "Mal Pelayanan Publik Kabupaten Sidoarjo"
MIN_TEXT = 0.036     # of the screen's short side
SILENT = "window.QueueDisplayPlayer = function () { return Promise.resolve(); };"


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    """A server whose office and services have the long names of a real MPP."""
    env = prepare_instance(tmp_path_factory.mktemp("hall"))
    db = Database(env["QUEUEAPP_DATABASE_URL"])
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE offices SET name = :name WHERE slug = 'demo'"), {"name": OFFICE_NAME})
        for prefix, (name_id, name_en) in LONG_NAMES.items():
            conn.execute(text("UPDATE services SET name_id = :i, name_en = :e WHERE prefix = :p"),
                         {"i": name_id, "e": name_en, "p": prefix})
    db.dispose()
    server = LiveServer(env).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def api(hall):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {staff_token(hall, 'supervisor')}"
    return session


def counter_id(server, number):
    counters = requests.get(f"{server.url}/api/v1/offices/demo/counters").json()
    return next(c["id"] for c in counters if c["number"] == number)


def issue(server, prefix):
    response = requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": prefix},
                             headers=kiosk_headers(server))
    assert response.status_code == 201, response.text
    return response.json()


def call(server, api, counter_number, number):
    response = api.post(f"{server.url}/api/v1/counters/{counter_id(server, counter_number)}/call",
                        json={"number": number})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def five_calls(hall, api):
    """Five counters each called a ticket (A at 1, B at 2 and 3, D at 4, F at 5)."""
    called = []
    for counter_number, prefix in ((1, "A"), (2, "B"), (3, "B"), (4, "D"), (5, "F")):
        ticket = issue(hall, prefix)
        called.append(call(hall, api, counter_number, ticket["number"]))
    return called


def open_display(browser, server, size, query=""):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.add_init_script(SILENT)
    page.goto(f"{server.url}/display/demo?autostart=1{query}")
    page.wait_for_function("document.body.dataset.seq !== undefined")
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(200)
    return context, page


MEASURE = """() => {
  function box(el) {
    var r = el.getBoundingClientRect();
    var clipped = false;
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      var s = getComputedStyle(p);
      if (s.overflow !== 'visible' || s.overflowX !== 'visible') {
        var q = p.getBoundingClientRect();
        if (r.left < q.left - 1 || r.right > q.right + 1 || r.top < q.top - 1 || r.bottom > q.bottom + 1) { clipped = true; }
      }
    }
    var style = getComputedStyle(el);
    return {text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height,
            font: parseFloat(style.fontSize), line: parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.15,
            scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, scrollHeight: el.scrollHeight,
            clientHeight: el.clientHeight, clipped: clipped};
  }
  function all(selector) { return Array.prototype.map.call(document.querySelectorAll(selector), box); }
  var root = document.documentElement;
  return {
    width: innerWidth, height: innerHeight,
    scroll: {width: root.scrollWidth, height: root.scrollHeight, bodyWidth: document.body.scrollWidth,
             bodyHeight: document.body.scrollHeight},
    number: box(document.getElementById('latest-number')),
    counter: box(document.getElementById('latest-counter')),
    office: box(document.querySelector('.bar .office')),
    history: all('#history span'),
    names: all('#services .name'),
    counts: all('#services .count'),
    codes: all('#services .code'),
    tiles: Array.prototype.map.call(document.querySelectorAll('#services li'), function (li) {
      return {code: li.dataset.service, scrollHeight: li.scrollHeight, clientHeight: li.clientHeight,
              scrollWidth: li.scrollWidth, clientWidth: li.clientWidth};
    }),
  };
}"""


def inside(box, m):
    return box["left"] >= -0.5 and box["top"] >= -0.5 and box["right"] <= m["width"] + 0.5 and \
        box["bottom"] <= m["height"] + 0.5


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_board_fits_every_tv_with_long_names_and_several_calls(browser, hall, five_calls, size, lang):
    context, page = open_display(browser, hall, size, f"&lang={lang}")
    try:
        shots = os.environ.get("DISPLAY_SHOTS")
        if shots:
            page.screenshot(path=str(Path(shots) / f"display-{lang}-{size[0]}x{size[1]}.png"))
        m = page.evaluate(MEASURE)
        if shots:       # the sizes measured, for docs and reports
            (Path(shots) / f"display-{lang}-{size[0]}x{size[1]}.json").write_text(json.dumps(m, indent=1))
        minimum = MIN_TEXT * min(size) - 0.5
        # Nothing scrolls, in either direction.
        assert m["scroll"]["width"] <= m["width"] and m["scroll"]["height"] <= m["height"], m["scroll"]
        assert m["scroll"]["bodyWidth"] <= m["width"] and m["scroll"]["bodyHeight"] <= m["height"], m["scroll"]
        # The newest call: its number on one line, the counter whole and on screen.
        assert m["number"]["text"] == five_calls[-1]["number"]
        assert m["number"]["height"] <= m["number"]["line"] + 1, m["number"]
        assert m["number"]["scrollWidth"] <= m["number"]["clientWidth"] + 1 or not m["number"]["clipped"]
        for part in (m["number"], m["counter"]):
            assert inside(part, m) and not part["clipped"], part
        assert m["counter"]["font"] >= 2 * MIN_TEXT * min(size), m["counter"]     # prominent
        # Several calls: the newest and the three before it, each with its counter.
        assert len(m["history"]) == 6, [h["text"] for h in m["history"]]
        assert [h["text"] for h in m["history"][::2]] == [c["number"] for c in five_calls[-2:-5:-1]]
        for part in m["history"]:
            assert inside(part, m) and not part["clipped"] and part["font"] >= minimum, part
            assert part["height"] <= part["line"] + 1, part
        # Service names: whole (no cut), legible, on screen.
        assert len(m["names"]) == 6
        for part in m["names"] + m["counts"] + m["codes"] + [m["office"]]:
            assert part["scrollWidth"] <= part["clientWidth"], part
            assert part["scrollHeight"] <= part["clientHeight"] + 1, part
            assert inside(part, m) and not part["clipped"], part
            assert part["font"] >= minimum, part
        for tile in m["tiles"]:     # each tile holds its whole text
            assert tile["scrollHeight"] <= tile["clientHeight"] + 1 and tile["scrollWidth"] <= tile["clientWidth"], tile
        long_name = LONG_NAMES["A"][0 if lang == "id" else 1]
        assert long_name in [part["text"] for part in m["names"]]
    finally:
        context.close()


def test_a_recall_comes_back_to_the_top_highlighted(browser, hall, api, five_calls):
    context, page = open_display(browser, hall, (1920, 1080))
    try:
        first = five_calls[0]
        expect(page.locator("#latest-number")).to_have_text(five_calls[-1]["number"])
        recall = api.post(f"{hall.url}/api/v1/tickets/{first['id']}/recall")
        assert recall.status_code == 200, recall.text
        expect(page.locator("#latest-number")).to_have_text(first["number"], timeout=3000)
        expect(page.locator("#latest")).to_have_class("call latest-call flash")
        shown = page.locator("#history .number").all_text_contents()
        assert first["number"] not in shown and shown[0] == five_calls[-1]["number"]
    finally:
        context.close()


def test_the_number_of_calls_shown_is_set_per_display(browser, hall, five_calls):
    context, page = open_display(browser, hall, (1366, 768), "&calls=2")
    try:
        expect(page.locator("#history li")).to_have_count(1)
    finally:
        context.close()


def test_a_zone_display_never_shows_another_zones_call_of_a_ticket_transferred_into_it(browser, start_server):
    server = start_server()
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {staff_token(server, 'supervisor')}"
    context, page = open_display(browser, server, (1920, 1080), "&services=B,C")
    try:
        ticket = issue(server, "A")
        called = call(server, api, 1, ticket["number"])           # counter 1 serves A only
        moved = api.post(f"{server.url}/api/v1/tickets/{called['id']}/transfer", json={"service": "C"})
        assert moved.status_code == 200, moved.text
        # Live: the A-call never reached this zone's board.
        page.wait_for_timeout(500)
        expect(page.locator("#latest-number")).to_have_text("—")
        # After a reload (a fresh snapshot) still not: the call was made for service A.
        page.reload()
        page.wait_for_function("document.body.dataset.seq !== undefined")
        expect(page.locator("#latest-number")).to_have_text("—")
        assert page.locator("#history li").count() == 0
        # Called again, now in this zone (counter 3 serves B and C): shown.
        again = call(server, api, 3, ticket["number"])
        expect(page.locator("#latest-number")).to_have_text(again["number"], timeout=3000)
        expect(page.locator("#latest-counter")).to_contain_text("3")
    finally:
        context.close()


def test_a_recording_uploaded_in_admin_is_what_the_display_plays_for_that_word(browser, start_server, tmp_path):
    server = start_server()
    recording = tmp_path / "satu.mp3"
    recording.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400)
    context = browser.new_context()
    admin = context.new_page()
    admin.goto(server.url + "/login")
    admin.fill("#username", "admin")
    admin.fill("#password", "demo12345")
    admin.click("button[type=submit]")
    admin.goto(server.url + "/admin/demo/voice")
    admin.select_option("#clip", "id/satu")
    admin.set_input_files("#file", str(recording))
    admin.click("#voice-upload button[type=submit]")
    expect(admin.locator('tr[data-clip="id/satu"]')).to_have_attribute("data-source", "office")
    context.close()

    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {staff_token(server, 'supervisor')}"
    context, page = open_display(browser, server, (1920, 1080))
    try:
        ticket = issue(server, "A")                  # "... A satu, silakan menuju loket satu."
        call(server, api, 1, ticket["number"])
        page.wait_for_function("window.__announcements.length && window.__announcements[0].clips")
        clips = page.evaluate("window.__announcements[0].clips")
        recorded = [url for url in clips if "/id/satu." in url]
        assert len(recorded) == 2 and all(".mp3?v=" in url for url in recorded), clips
        assert any(url.endswith("/id/nomor_antrian.ogg") for url in clips)     # the rest: generated
        assert requests.get(server.url + recorded[0]).content == recording.read_bytes()
    finally:
        context.close()


MORE_SERVICES = [("G", "Izin Usaha Mikro Kecil", "Micro business licence"),
                 ("H", "Paspor (Imigrasi)", "Passport (immigration)"),
                 ("J", "BPJS Kesehatan", "National health insurance"),
                 ("K", "Pajak Kendaraan (Samsat)", "Vehicle tax (Samsat)"),
                 ("L", "Sertifikat Tanah (BPN)", "Land certificate (land agency)"),
                 ("M", "Pengaduan Masyarakat", "Public complaints")]


@pytest.mark.parametrize("size", [(1366, 768), (1080, 1920)], ids=["1366x768", "1080x1920"])
def test_a_whole_mpp_of_twelve_services_still_fits_without_cutting_a_name(browser, start_server, size):
    from datetime import datetime, timezone

    from queueapp.services import catalog
    env = prepare_instance(Path(os.environ.get("TMPDIR", "/tmp")) / f"mpp-{os.getpid()}-{size[0]}")
    db = Database(env["QUEUEAPP_DATABASE_URL"])
    for code, name_id, name_en in MORE_SERVICES:
        catalog.add_service(db, None, "demo", {"code": code, "name": name_id, "name_en": name_en},
                            now=datetime.now(timezone.utc))
    db.dispose()
    server = start_server(env=env)
    context, page = open_display(browser, server, size)
    try:
        shots = os.environ.get("DISPLAY_SHOTS")
        if shots:
            page.screenshot(path=str(Path(shots) / f"display-12-services-{size[0]}x{size[1]}.png"))
        m = page.evaluate(MEASURE)
        assert len(m["names"]) == 12
        assert m["scroll"]["width"] <= m["width"] and m["scroll"]["height"] <= m["height"], m["scroll"]
        for part in m["names"] + m["counts"] + m["codes"]:
            assert part["scrollWidth"] <= part["clientWidth"] and inside(part, m) and not part["clipped"], part
            assert part["font"] >= MIN_TEXT * min(size) - 0.5, part
        for tile in m["tiles"]:
            assert tile["scrollHeight"] <= tile["clientHeight"] + 1, tile
    finally:
        context.close()
