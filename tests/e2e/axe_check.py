"""axe-core over a page in the browser tests: fail on serious or critical violations.

axe-core comes from npm (pinned in .ci/package.json, installed by .ci/test into
.ci/node_modules, ignored by git) and is loaded from disk, never a CDN. Our pages' strict
CSP forbids inline scripts, and Playwright's add_script_tag(path=...) inlines the file: the
browser context that runs axe is made with bypass_csp=True (`axe_context`), for these
checks only; every other browser test runs under the real CSP.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ..support import IN_CI

AXE = Path(__file__).resolve().parents[2] / ".ci" / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")

# Each screen at the size it is really used at.
PHONE = {"width": 390, "height": 844}
KIOSK = {"width": 1080, "height": 1920}
DISPLAY = {"width": 1920, "height": 1080}
DISPLAY_PORTRAIT = {"width": 1080, "height": 1920}
COUNTER = {"width": 1366, "height": 768}


def axe_available() -> None:
    """Skips (fails under CI=true) when axe-core is not installed."""
    if not AXE.exists():
        message = f"axe-core not installed at {AXE}: npm ci --prefix .ci"
        if IN_CI:
            pytest.fail(message + " (CI=true: accessibility tests must run)")
        pytest.skip(message)


def axe_context(browser, viewport: dict, **options):
    """A browser context that lets axe's script in (bypass_csp), at a screen's size."""
    axe_available()
    mobile = viewport == PHONE
    return browser.new_context(viewport=viewport, locale="id-ID", bypass_csp=True,
                               is_mobile=mobile, has_touch=mobile, **options)


def violations(page, minimum: tuple[str, ...] = FAILING, allowed: tuple[str, ...] = ()) -> list[dict]:
    """axe-core's violations on the page as it is now, of the impacts in `minimum`."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await window.axe.run(document, {resultTypes: ['violations']})).violations")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [{"target": n["target"], "summary": n.get("failureSummary", "")} for n in v["nodes"][:5]]}
            for v in found if v["impact"] in minimum and v["id"] not in allowed]


def assert_accessible(page, what: str, allowed: tuple[str, ...] = ()) -> None:
    """No serious or critical axe-core violation on the page (`what` names it in the failure)
    but the rules in `allowed` (each with its reason where the screen is listed)."""
    found = violations(page, allowed=allowed)
    assert not found, f"{what}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]} {v['nodes'][0]['summary']}"
        for v in found)


def assert_no_horizontal_overflow(page, what: str) -> None:
    """Nothing wider than the viewport: no sideways scrolling, nothing cut off."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{what}: the page is {widths[0]} px wide in a {widths[1]} px viewport"
