"""Screenshots of learning-log work waiting on the dashboard, on a running demo.

    .venv/bin/python tests/browser/waiting_screenshots.py http://127.0.0.1:8000 /tmp/waiting

Fran opens her dashboard (Asa's comment is new to her), replies to it, and submits her ILM log
through the page that asks first; Asa's dashboard then shows the version to assess and Fran's
reply to answer. Asa returns the version with a note, and Fran's dashboard shows it returned. It
changes the demo's data: load the demo again afterwards.
"""

import argparse
from pathlib import Path
from urllib.parse import urlparse

from chromium import launch
from playwright.sync_api import Page, sync_playwright

PASSWORD = "revans-demo"
DOMAIN = "demo.revans.test"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def sign_in(page: Page, who: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(f"{who}@{DOMAIN}")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the running demo, e.g. http://127.0.0.1:8000")
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)

        def person(who: str) -> dict[str, Page]:
            pages = {}
            for width, viewport in VIEWPORTS.items():
                context = browser.new_context(
                    base_url=args.url.rstrip("/"), viewport=viewport, locale="en-GB"
                )
                pages[width] = context.new_page()
                sign_in(pages[width], who)
            return pages

        def shoot(pages: dict[str, Page], name: str, path: str | None = None) -> None:
            for width, page in pages.items():
                if path:
                    page.goto(path)
                page.wait_for_load_state("networkidle")
                target = args.outdir / f"{name}-{width}.png"
                page.screenshot(path=target, full_page=True)
                print(f"{page.url:<60} -> {target}")

        try:
            fran, asa = person("fran"), person("asa")
            shoot(fran, "fran-dashboard-new-comment", "/dashboard/")
            page = fran["desktop"]
            page.locator(".waiting a").first.click()
            page.get_by_label("Reply or add a note for your readers").fill(
                "Thank you: I will try the silence again and write about it."
            )
            page.get_by_role("button", name="Reply").click()
            page.wait_for_load_state("networkidle")
            page.goto("/journal/")
            page.get_by_role("link", name="ILM facilitator log").first.click()
            log_path = urlparse(page.url).path
            shoot(fran, "fran-submit-confirm", f"{log_path}submit/")
            page.get_by_role("button", name="Submit version").click()
            page.wait_for_url("**/history/")
            shoot(asa, "asa-dashboard", "/dashboard/")
            page = asa["desktop"]
            page.locator(".waiting a").first.click()
            page.get_by_label("Note to the author").fill("Say more about what you did next.")
            page.get_by_role("button", name="Return it for changes").click()
            page.wait_for_load_state("networkidle")
            shoot(fran, "fran-dashboard-returned", "/dashboard/")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
