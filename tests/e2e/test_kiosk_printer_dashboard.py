"""A kiosk's printer problem reaches the supervisor's dashboard live as a "printer" alert,
named in the supervisor's language, and goes away once the kiosk prints again."""
import pytest
import requests
from playwright.sync_api import expect

from ..support import LiveServer
from .conftest import kiosk_headers, prepare_instance

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(prepare_instance(tmp_path_factory.mktemp("printer-dashboard"))).start()
    yield live
    live.stop()


def test_a_print_the_kiosk_could_not_confirm_is_alerted_on_the_dashboard_until_it_prints(browser, server):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    try:
        page.goto(server.url + "/login")
        page.fill("#username", "supervisor")
        page.fill("#password", "demo12345")
        page.click("button[type=submit]")
        page.goto(server.url + "/dashboard/demo")
        page.wait_for_function("window.__dashboardLive && window.__dashboardLive.seq['staff:demo'] !== undefined")
        alert = page.locator("#alerts li[data-alert='printer:api-tests']")
        expect(alert).to_have_count(0)
        report = requests.post(f"{server.url}/api/v1/offices/demo/kiosk/printer", json={"state": "unconfirmed"},
                               headers=kiosk_headers(server), timeout=5)
        assert report.status_code == 200, report.text
        expect(alert).to_have_text("Printer kios api-tests: Pencetakan tidak terkonfirmasi. "
                                   "Kios menampilkan nomor di layar untuk difoto.")
        requests.post(f"{server.url}/api/v1/offices/demo/kiosk/printer", json={"state": "ok"},
                      headers=kiosk_headers(server), timeout=5)
        expect(alert).to_have_count(0)
    finally:
        context.close()
