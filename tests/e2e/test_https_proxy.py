"""The app behind Debian's nginx over TLS, configured by the very file docs/DEPLOYMENT.md shows
(docs/nginx/queueapp.conf), on a non-standard port: the screens go live over wss with no
Content-Security-Policy violation, a booking form passes CSRF, the rate limits tell clients
apart, and a kiosk ticket's QR carries the public host and port."""
from __future__ import annotations

import http.client
import io
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from ..support import IN_CI, ROOT, free_port
from .conftest import device_token, prepare_instance, staff_token

pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")]  # self-signed

SITE = ROOT / "docs" / "nginx" / "queueapp.conf"
MAIN = """daemon off;
master_process off;
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/queueapp.conf;
}}
"""
# Every CSP violation a page reports, from its first script on.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + event.sourceFile + ":" + event.lineNumber);
});
"""
# Headless Chromium cannot print a PDF frame: the kiosk records the print instead.
RECORD_PRINTS = "window.kioskPrintFrame = function (frame) { window.printed = [frame.src]; };"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if not found:
        if IN_CI:
            pytest.fail("nginx not found (CI=true: apt-get install nginx)")
        pytest.skip("nginx not found")
    return found


def site_config(https_port: int, http_port: int, upstreams: list[int], cert: Path, key: Path) -> str:
    """docs/nginx/queueapp.conf with this test's ports, name and certificate: nothing else changed."""
    text = SITE.read_text()
    replacements = [
        ("listen 443 ssl;", f"listen {https_port} ssl;"),
        ("listen 80;", f"listen {http_port};"),
        ("server_name antrian.kecamatan.go.id;", "server_name localhost;"),
        ("/etc/letsencrypt/live/antrian.kecamatan.go.id/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/antrian.kecamatan.go.id/privkey.pem", str(key)),
    ]
    for old, new in replacements:
        assert old in text, f"{old!r} is no longer in {SITE}"
        text = text.replace(old, new)
    servers = re.findall(r"^ *server 127\.0\.0\.1:\d+;\n", text, flags=re.M)
    assert servers, "the upstream block lists no process"
    text = text.replace("".join(servers), "".join(f"    server 127.0.0.1:{port};\n" for port in upstreams))
    return text


class Nginx:
    """nginx in the foreground with its own prefix folder, on https://localhost:<port>."""

    def __init__(self, folder: Path, upstreams: list[int], cert: Path, key: Path, port: int | None = None):
        self.folder = folder
        self.port = port or free_port()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "queueapp.conf").write_text(site_config(self.port, free_port(), upstreams, cert, key))
        (folder / "nginx.conf").write_text(MAIN.format(folder=folder))
        self.proc = subprocess.Popen([nginx_binary(), "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                      "-e", str(folder / "error.log")],
                                     stdout=subprocess.DEVNULL, stderr=open(folder / "stderr.log", "wb"))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {(folder / 'stderr.log').read_text()}{self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not start: {self.error_log()}")

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}"

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost, made with the openssl command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture
def behind_nginx(start_server, certificate, tmp_path):
    """Factory: behind_nginx(**env) -> (server, nginx). `env` values may name {public}, the
    address nginx serves (https://localhost:<port>)."""
    proxies = []

    def start(**env):
        port = free_port()
        public = f"https://localhost:{port}"
        environment = prepare_instance(tmp_path / f"instance-{len(proxies)}")
        environment.update({f"QUEUEAPP_{name}": value.format(public=public) for name, value in env.items()})
        server = start_server(env=environment)
        proxy = Nginx(tmp_path / f"nginx-{len(proxies)}", [server.port], *certificate, port=port)
        proxies.append(proxy)
        return server, proxy

    yield start
    for proxy in proxies:
        proxy.stop()


@pytest.fixture
def tls_context(browser):
    contexts = []

    def new(**options):
        context = browser.new_context(ignore_https_errors=True, locale="id-ID", **options)
        context.add_init_script(RECORD_VIOLATIONS)
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def https_get(proxy: Nginx, path: str, source: str) -> int:
    """A GET through nginx from the local address `source` (127.0.0.x: each one a citizen)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    connection = http.client.HTTPSConnection("localhost", proxy.port, source_address=(source, 0),
                                             context=context, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def decode_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(codes) == 1
    return codes[0].text


# --- trusted proxy, no PUBLIC_URL: everything comes from nginx's headers --------------------------

def test_a_display_goes_live_over_wss_on_the_port_nginx_listens_on(behind_nginx, tls_context):
    server, proxy = behind_nginx(TRUSTED_PROXIES="1")
    display = tls_context(viewport={"width": 1920, "height": 1080})
    sockets = []
    display.on("websocket", lambda ws: sockets.append(ws.url))
    display.goto(f"{proxy.url}/display/demo")
    display.click("#start-button")
    display.wait_for_function("document.body.dataset.seq !== undefined")
    seq = int(display.evaluate("document.body.dataset.seq"))
    assert sockets and sockets[0].startswith(f"wss://localhost:{proxy.port}/socket.io/")

    clerk = staff_token(server, "loket1")
    issued = requests.post(f"{proxy.url}/api/v1/offices/demo/tickets", json={"service": "A"}, verify=False,
                           headers={"Authorization": f"Bearer {clerk}"}, timeout=10)
    assert issued.status_code == 201, issued.text
    display.wait_for_function(f"Number(document.body.dataset.seq) > {seq}", timeout=10000)
    assert display.locator("#status").is_hidden()

    # A call is shown and announced (chime and voice clips: media the policy must let play).
    clips = []
    display.on("response", lambda response: clips.append(response.url) if "/display-assets/sounds/" in response.url
               or response.url.endswith(".ogg") else None)
    counters = requests.get(f"{proxy.url}/api/v1/offices/demo/counters", verify=False, timeout=10).json()
    loket1 = next(c["id"] for c in counters if c["number"] == 1)
    called = requests.post(f"{proxy.url}/api/v1/counters/{loket1}/call-next", verify=False, timeout=10,
                           headers={"Authorization": f"Bearer {clerk}"})
    assert called.status_code == 200, called.text
    display.wait_for_function(f"document.getElementById('latest-number').textContent === {called.json()['number']!r}",
                              timeout=10000)
    deadline = time.monotonic() + 10
    while not clips and time.monotonic() < deadline:
        display.wait_for_timeout(200)
    assert clips, "the display played no sound"
    assert violations(display) == []


def test_a_citizen_books_over_https_and_the_form_passes_csrf(behind_nginx, tls_context):
    _, proxy = behind_nginx(TRUSTED_PROXIES="1")
    phone = tls_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto(f"{proxy.url}/booking/demo?lang=id")
    phone.get_by_role("link", name="Pilih hari").first.click()
    phone.locator(".booking-days .day.open a").first.click()
    phone.locator(".booking-slots a.button").first.click()
    phone.fill("input[name=name]", "Rina Wulandari")
    phone.fill("input[name=phone]", "0812 7777 1234")
    phone.fill("input[name=nik]", "3174012345670009")
    with phone.expect_response(lambda response: response.request.method == "POST") as posted:
        phone.get_by_role("button", name="Pesan waktu ini").click()
    assert posted.value.status == 303 and posted.value.request.header_value("referer").startswith(proxy.url)
    phone.wait_for_selector("[data-code]")
    assert phone.url.startswith(f"{proxy.url}/booking/a/")
    assert violations(phone) == []


def test_a_kiosk_ticket_s_qr_carries_the_public_host_and_port(behind_nginx, tls_context):
    server, proxy = behind_nginx(TRUSTED_PROXIES="1")
    kiosk = tls_context(viewport={"width": 1080, "height": 1920})
    kiosk.add_init_script(RECORD_PRINTS)
    # Paired through nginx, as an administrator opens the pairing link on the kiosk itself.
    kiosk.goto(f"{proxy.url}/kiosk/demo?kiosk=lobi&pair={device_token(server)}")
    assert kiosk.url.startswith(f"{proxy.url}/kiosk/demo") and "pair=" not in kiosk.url
    kiosk.wait_for_function("document.getElementById('k-offline').hidden")
    kiosk.locator('.k-service[data-service="A"]').click()
    kiosk.locator('[data-priority=""]').first.click()
    kiosk.locator("#k-number").wait_for(state="visible")
    kiosk.wait_for_function("document.getElementById('k-qr').complete && document.getElementById('k-qr').naturalWidth > 0")
    status_url = decode_qr(kiosk.locator("#k-qr").screenshot())
    assert re.fullmatch(rf"https://localhost:{proxy.port}/t/[\w-]+", status_url)
    kiosk.wait_for_function("window.printed && window.printed.length === 1")
    assert violations(kiosk) == []

    status = tls_context(viewport={"width": 390, "height": 780}, is_mobile=True)
    status.goto(status_url)
    status.wait_for_function("window.__statusLive !== undefined")
    assert status.locator("#number").inner_text() == kiosk.locator("#k-number").inner_text()
    assert violations(status) == []


def test_staff_screens_run_with_no_policy_violation_over_https(behind_nginx, tls_context):
    _, proxy = behind_nginx(TRUSTED_PROXIES="1")
    page = tls_context()
    page.goto(f"{proxy.url}/login")
    page.fill("#username", "admin")
    page.fill("#password", "demo12345")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin.*"))
    for path in ("/admin/demo/settings", "/admin/demo/services", "/admin/demo/staff", "/admin/demo/devices"):
        page.goto(proxy.url + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
    page.goto(f"{proxy.url}/counter")
    page.click("a[data-counter='3']")
    expect(page.locator("#counter-state")).to_have_text("Buka")
    # A staff action is a fetch with the session cookie and X-CSRFToken: over HTTPS it needs the
    # Referer too (the strict check), which the same-origin policy lets the browser send.
    page.click("[data-action='call-next']")
    expect(page.locator("#message")).to_have_text("Tidak ada antrian untuk loket ini.")
    assert violations(page) == []
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    assert not cookie["secure"]        # no https PUBLIC_URL here: see the next test


def test_each_citizen_s_address_has_its_own_limit_behind_a_trusted_nginx(behind_nginx):
    _, proxy = behind_nginx(TRUSTED_PROXIES="1", BOOKING_READ_RATE_LIMIT="2 per minute")
    first = [https_get(proxy, "/booking/demo", "127.0.0.2") for _ in range(3)]
    assert first == [200, 200, 429]
    assert https_get(proxy, "/booking/demo", "127.0.0.3") == 200


# --- no trusted proxy, PUBLIC_URL set: the public address comes from the setting ------------------

def test_without_trusted_proxies_every_citizen_shares_nginx_s_limit(behind_nginx):
    _, proxy = behind_nginx(PUBLIC_URL="{public}", BOOKING_READ_RATE_LIMIT="2 per minute")
    assert [https_get(proxy, "/booking/demo", "127.0.0.2") for _ in range(2)] == [200, 200]
    assert https_get(proxy, "/booking/demo", "127.0.0.3") == 429


def test_with_an_https_public_url_screens_connect_and_cookies_are_secure(behind_nginx, tls_context):
    _, proxy = behind_nginx(PUBLIC_URL="{public}")
    display = tls_context()
    display.goto(f"{proxy.url}/display/demo")
    display.click("#start-button")
    display.wait_for_function("document.body.dataset.seq !== undefined")
    assert violations(display) == []

    response = requests.get(f"{proxy.url}/login", verify=False, timeout=10)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
