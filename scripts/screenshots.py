"""Take the README screenshots from a running app with the demo data (Debian Chromium, headless).

    KSF_DATA_DIR=/tmp/shots KSF_ADMIN_PASSWORD=… .venv/bin/python -m ksf_review seed-demo
    KSF_DATA_DIR=/tmp/shots .venv/bin/python -m ksf_review worker           # transcribe the demo calls
    KSF_DATA_DIR=/tmp/shots KSF_WORKER=0 .venv/bin/streamlit run app.py --server.port 8599 &
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8599 PASSWORD docs/screenshots

PASSWORD is the beheerder's (KSF_ADMIN_PASSWORD at the server's first start, or the one it
printed). Each shot waits until the page has settled (no script run, no loading placeholders),
so a loaded machine gives the same pictures, only later.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def settle(page, timeout_ms: int = 120000) -> None:
    """Until the app's script is not running and no element is still a loading placeholder."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && !document.querySelector('[data-testid="stSkeleton"]');
        }""",
        timeout=timeout_ms,
    )
    time.sleep(1.5)


def main(url: str, password: str, out: str) -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        page.goto(url)
        page.get_by_label("Gebruikersnaam").fill("beheerder")
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("heading", name="Examens").wait_for(timeout=60000)
        settle(page)
        page.screenshot(path=str(out_dir / "examens.png"))
        page.get_by_role("link", name="Beoordelen").click()
        page.locator(".kp-audio-mode").first.wait_for(timeout=60000)
        settle(page)
        page.locator('[data-testid="ksf-player"]').first.locator(".kp-w").nth(12).click()
        time.sleep(2.5)
        page.keyboard.press("k")
        time.sleep(1)
        page.screenshot(path=str(out_dir / "beoordelen.png"))
        page.get_by_role("link", name="Checklist").click()
        page.get_by_role("heading", name="Checklist").wait_for(timeout=60000)
        settle(page)
        page.screenshot(path=str(out_dir / "checklist.png"))
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
