"""Full-page screenshots of a running Revans demo, at desktop and phone widths.

    .venv/bin/python tests/browser/screenshots.py http://127.0.0.1:8000 /tmp/shots

Signs in as fran (facilitator of Aurora) and pam (programme manager of Leading Change) with the
demo password and saves ``<who>-<page>-<desktop|phone>.png`` in the output folder. Not a test:
it is for looking at the pages with human eyes.
"""

import argparse
import re
import sys
from pathlib import Path

from chromium import launch
from playwright.sync_api import Page, sync_playwright

PASSWORD = "revans-demo"  # revans.site.demo.PASSWORD, without importing Django
DOMAIN = "demo.revans.test"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def sign_in(page: Page, key: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(f"{key}@{DOMAIN}")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


def aurora_path(page: Page) -> str:
    page.goto("/dashboard/")
    link = page.get_by_role("link", name="Aurora", exact=True).first
    if link.count() == 0:  # pam is in no set: find Aurora through the programme page
        page.get_by_role("link", name="Leading Change").first.click()
        link = page.get_by_role("link", name="Aurora", exact=True).first
    href = link.get_attribute("href")
    if not href or not re.fullmatch(r"/sets/\d+/", href):
        sys.exit(f"Could not find the set Aurora on {page.url}; is the demo data loaded?")
    return href


def programme_path(page: Page) -> str | None:
    page.goto("/dashboard/")
    link = page.get_by_role("link", name="Leading Change")
    return link.first.get_attribute("href") if link.count() else None


def practice_paths(page: Page) -> dict[str, str]:
    """Question practice and its first sample problem: open to everyone signed in."""
    page.goto("/practice/")
    first = page.locator(".scenario-card h3 a").first
    href = first.get_attribute("href") if first.count() else None
    return {"practice": "/practice/", **({"practice-scenario": href} if href else {})}


def pages_for(page: Page, who: str) -> dict[str, str]:
    aurora = aurora_path(page)
    pages = {"dashboard": "/dashboard/", "set": aurora}
    if who == "fran":
        pages["ground-rules"] = f"{aurora}ground-rules/"
        pages["members"] = f"{aurora}members/"
        pages["questioning"] = f"{aurora}questioning/"  # the charts and their tables
    programme = programme_path(page)
    if programme:
        pages["programme"] = programme
    pages.update(practice_paths(page))
    return pages


def shoot(base_url: str, outdir: Path, people: list[str]) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for who in people:
                for width_name, viewport in VIEWPORTS.items():
                    context = browser.new_context(
                        base_url=base_url, viewport=viewport, locale="en-GB"
                    )
                    page = context.new_page()
                    sign_in(page, who)
                    for name, path in pages_for(page, who).items():
                        response = page.goto(path)
                        page.wait_for_load_state("networkidle")
                        target = outdir / f"{who}-{name}-{width_name}.png"
                        page.screenshot(path=target, full_page=True)
                        status = response.status if response else "?"
                        print(f"{status} {path:<28} -> {target}")
                        saved.append(target)
                    context.close()
        finally:
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the running demo, e.g. http://127.0.0.1:8000")
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    parser.add_argument("--who", nargs="+", default=["fran", "pam"], help="demo people")
    args = parser.parse_args(argv)
    saved = shoot(args.url.rstrip("/"), args.outdir, args.who)
    print(f"{len(saved)} screenshots in {args.outdir}")


if __name__ == "__main__":
    main()
