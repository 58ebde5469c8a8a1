"""A real browser (Debian's Chromium, driven by Playwright) on the app served on loopback.

Skips only when Chromium or Playwright is missing and CI is not set; under CI
a missing browser is a failure (``.ci/run`` installs it).
"""

import os
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]


def _need_browser():
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(CHROMIUM)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {', '.join(missing)} (see .ci/run)")
        pytest.skip(f"no {', '.join(missing)}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    _need_browser()
    import uvicorn

    from tradepact.interfaces.web.app import create_app
    app = create_app(verdict_draws=500, warm=True)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    t0 = time.time()
    while not srv.started:
        if time.time() - t0 > 60:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(10)


def test_browser_walkthrough(server):
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(exist_ok=True)
    errors, outside = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: None if urlparse(r.url).hostname == "127.0.0.1" or r.url.startswith("data:")
                else outside.append(r.url))

        # Overview: the verdict first, then the outflow chart against capacity.
        page.goto(server + "/")
        page.wait_for_selector("section.verdict")
        page.wait_for_selector("#outflow-chart .main-svg")
        assert "Korea is" in page.inner_text("section.verdict >> nth=0")
        page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

        # Deal designer: moving the cap slider changes the verdict and the chart.
        page.goto(server + "/designer")
        page.wait_for_function("document.body.dataset.designSeq !== undefined")
        before = page.inner_text("#design-sentence")
        bars = page.evaluate("document.getElementById('design-chart').data[0].y.slice(0, 4)")
        seq = page.evaluate("document.body.dataset.designSeq")
        page.locator("#f-annual_cap_usd_bn").fill("60")
        page.wait_for_function(f"document.body.dataset.designSeq !== '{seq}'")
        after = page.inner_text("#design-sentence")
        bars_after = page.evaluate("document.getElementById('design-chart').data[0].y.slice(0, 4)")
        assert after != before
        # USD 200 bn of cash at up to USD 60 bn a year: the first year's outflow from reserves is 60.
        assert bars_after[0] == pytest.approx(60.0, abs=1e-6)
        assert bars_after != bars
        assert "exceeds capacity" in after
        assert "annual_cap_usd_bn=60" in page.get_attribute("#share-link", "href")
        page.screenshot(path=str(ARTIFACTS / "designer.png"), full_page=True)

        # Tariff explorer: HS 870323 from Korea, with its sources.
        page.goto(server + "/tariffs")
        page.fill("#hs", "870323")
        page.fill("#partner", "KOR")
        for date, shown in (("2025-10-01", "25.00 %"),      # Proclamation 10908, KORUS: no MFN
                            ("2025-11-14", "15.00 %")):     # 90 FR 55964: 15 % from 2025-11-01
            page.fill("#date", date)
            page.click("#lookup")
            page.wait_for_selector(f"#total-rate:text('{shown}')")
            assert page.locator("#rate-sources li").count() >= 1
        page.wait_for_selector("#timeline-chart .main-svg")
        page.screenshot(path=str(ARTIFACTS / "tariffs.png"), full_page=True)

        # Negotiation map.
        page.goto(server + "/negotiation")
        page.wait_for_function("document.body.dataset.zopaReady === '1'", timeout=60_000)
        assert page.locator("#zopa-chart .scatterlayer .trace").count() >= 3
        page.screenshot(path=str(ARTIFACTS / "negotiation.png"), full_page=True)

        # API docs, served offline.
        page.goto(server + "/docs")
        page.wait_for_selector(".opblock-summary-path")
        assert page.locator(".opblock-summary-path").count() >= 10
        browser.close()
    assert not errors, errors
    assert not outside, outside
