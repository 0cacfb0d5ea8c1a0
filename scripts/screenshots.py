"""Screenshots of the portal for docs/screenshots/: home, a tip, the quiz, signing, the HR
dashboard and a report page, on the demo data, as staff see them (1280 px wide, Dutch).

Run by `make screenshots` (scripts/screenshots.sh starts a server on a fresh demo
database); by hand: .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8000
with the same DATABASE_URL as the server (two-factor codes come from manage.py demo_totp).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Voorbeeldstad-2026!"  # noqa: S105 - the demo password (demo/organisation.py)
GUIDELINE = "/handreikingen/sociale-media"


def manage(*args: str) -> str:
    result = subprocess.run(  # noqa: S603 - this interpreter, our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def log_in(page: Page, url: str, email: str, *, totp: bool = False) -> None:
    page.goto(f"{url}/account/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    if totp:
        page.fill("#id_code", manage("demo_totp", email))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()


def shoot(page: Page, out: Path, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out / f"{name}.png", full_page=True)
    print(f"{name}.png  {page.url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    url, out = args.url.rstrip("/"), args.out
    out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        staff = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        log_in(staff, url, "medewerker@voorbeeldstad.nl")
        shoot(staff, out, "home")
        staff.goto(f"{url}{GUIDELINE}/tips/3/")
        shoot(staff, out, "tip")
        staff.goto(f"{url}{GUIDELINE}/quiz/")
        start = staff.locator("main form button[type=submit]").first
        if start.count():
            with staff.expect_navigation():
                start.click()
        shoot(staff, out, "quiz")
        staff.goto(f"{url}{GUIDELINE}/bevestigen/")
        shoot(staff, out, "signing")

        hr = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        log_in(hr, url, "hr@voorbeeldstad.nl", totp=True)
        hr.goto(f"{url}/campagnes/")
        campaign = hr.evaluate(
            "() => [...document.querySelectorAll('main a')].map(a => a.getAttribute('href'))"
            ".find(href => /^\\/campagnes\\/\\d+\\/$/.test(href))"
        )
        hr.goto(f"{url}{campaign}")
        shoot(hr, out, "hr-dashboard")
        hr.goto(f"{url}/rapportages/nieuw/")
        hr.locator("#id_campaign").select_option(index=1)
        with hr.expect_navigation():
            hr.locator("#request-report").click()
        report = hr.url
        manage("db_worker", "--batch", "--verbosity", "0")
        hr.goto(report)
        shoot(hr, out, "report")
        browser.close()


if __name__ == "__main__":
    main()
