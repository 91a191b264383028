"""The clerk's workstation at its real size (1366x768): after each action the message bar
says what happened in its own words; a break asks before calling; the recall that would
turn into a no-show warns first; the line shows channel and wait so far; nothing overflows."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .axe_check import COUNTER, assert_no_horizontal_overflow
from .citizens import issue
from .conftest import open_workstation

pytestmark = pytest.mark.browser


@pytest.fixture
def workstation(browser, start_server):
    server = start_server()
    context = browser.new_context(viewport=COUNTER, locale="id-ID")
    page = context.new_page()
    open_workstation(page, server, 3)
    expect(page.locator("#counter-state")).to_have_text("Buka")
    yield server, page
    context.close()


def said(page, text):
    expect(page.locator("#message")).to_have_text(text)
    expect(page.locator("#message")).not_to_have_class("message error")


def test_each_clerk_action_says_its_own_confirmation(workstation):
    server, page = workstation
    issue(server, "C"), issue(server, "B")
    expect(page.locator("#waiting-list li")).to_have_count(2)
    page.click("[data-action='call-next']")
    said(page, "C-001 dipanggil.")
    page.click("[data-action='recall']")
    said(page, "C-001 dipanggil ulang.")
    page.click("[data-action='hold']")
    said(page, "C-001 ditunda. Lanjutkan dari daftar saat warga sudah siap.")
    page.click("#held-list li[data-number='C-001'] button")
    said(page, "C-001 kembali ke antrian.")
    page.fill("#call-number", "C-001")
    page.click("#call-form button")
    said(page, "C-001 dipanggil.")
    page.select_option("#transfer-service", "D")
    page.click("#transfer-form button")
    expect(page.locator("#message")).to_contain_text("C-001 dialihkan ke D")
    page.click("[data-action='call-next']")
    said(page, "B-001 dipanggil.")
    page.click("[data-action='start']")
    said(page, "Melayani B-001.")
    page.evaluate("""() => { window.__heard = [];
        document.getElementById('workstation').addEventListener('counter:action', (e) =>
            window.__heard.push([e.detail.kind, e.detail.ticket.number, e.detail.ticket.status])); }""")
    page.click("[data-action='finish']")
    said(page, "Layanan B-001 selesai.")
    assert page.evaluate("() => window.__heard") == [["finish", "B-001", "done"]]   # the hook for extra tools
    expect(page.locator("#served-today")).to_have_text("1")
    expect(page.locator("#served-by-me")).to_have_text("1")
    issue(server, "B")
    page.click("[data-action='call-next']")
    page.click("[data-action='no_show']")
    said(page, "B-002 ditandai tidak hadir.")
    page.click("[data-state='paused']")
    said(page, "Loket sedang istirahat. Memanggil nomor berikutnya mengakhiri istirahat.")
    page.click("[data-state='open']")
    said(page, "Loket dibuka.")
    assert "Selesai." not in page.locator("#message").inner_text()
    assert_no_horizontal_overflow(page, "counter workstation")


def test_a_paused_counter_asks_before_calling_the_next_number(workstation):
    server, page = workstation
    issue(server, "B")
    page.click("[data-state='paused']")
    expect(page.locator("#counter-state")).to_have_text("Istirahat")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("[data-action='call-next']")
    expect(page.locator("#counter-state")).to_have_text("Istirahat")
    assert questions == ["Loket ini sedang istirahat. Akhiri istirahat dan panggil nomor berikutnya?"]
    expect(page.locator("#current-number")).to_have_text("—")
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("n")
    expect(page.locator("#current-number")).to_have_text("B-001")
    expect(page.locator("#counter-state")).to_have_text("Buka")


def test_the_recall_that_becomes_a_no_show_warns_first(workstation):
    server, page = workstation
    issue(server, "C")
    page.click("[data-action='call-next']")
    page.click("[data-action='recall']")
    said(page, "C-001 dipanggil ulang.")
    page.click("[data-action='recall']")
    expect(page.locator("#current-calls")).to_have_text("3 dari 3")
    expect(page.locator("[data-action='recall']")).to_have_class("last-call")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("[data-action='recall']")
    expect(page.locator("#current-number")).to_have_text("C-001")
    assert questions and "C-001" in questions[0] and "tidak hadir" in questions[0]
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action='recall']")
    said(page, "C-001 tidak datang setelah panggilan terakhir: ditandai tidak hadir.")


def test_the_line_shows_each_tickets_channel_and_wait_so_far(workstation):
    server, page = workstation
    issue(server, "B")
    row = page.locator("#waiting-list li[data-number='B-001']")
    expect(row.locator(".channel")).to_have_text("Kios tiket")
    expect(row.locator(".waited")).to_contain_text("menunggu 0:")
    assert_no_horizontal_overflow(page, "counter line")
