"""docs/DEPLOYMENT.md shows the nginx configuration that tests/e2e/test_https_proxy.py runs."""
import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def nginx_blocks() -> list[str]:
    return re.findall(r"```nginx\n(.*?)```", (DOCS / "DEPLOYMENT.md").read_text(), flags=re.S)


def test_the_deployment_guide_shows_the_tested_nginx_file_word_for_word():
    assert (DOCS / "nginx" / "queueapp.conf").read_text() in nginx_blocks()


def test_the_tested_config_pins_no_client_to_a_process_and_sets_every_trusted_header():
    conf = (DOCS / "nginx" / "queueapp.conf").read_text()
    code = "\n".join(line.split("#")[0] for line in conf.splitlines())
    assert "ip_hash" not in code
    locations = re.findall(r"location [^{]+\{(.*?)\n    \}", code, flags=re.S)
    assert len(locations) == 2   # / and /socket.io/: nginx does not merge their headers
    for location in locations:
        for header in ("Host $http_host", "X-Forwarded-For", "X-Forwarded-Proto $scheme", "X-Forwarded-Host",
                       "X-Forwarded-Port $server_port", 'X-Forwarded-Prefix ""'):
            assert re.search(rf"proxy_set_header {re.escape(header)}".replace(r"\ ", r"\s+"), location), header
