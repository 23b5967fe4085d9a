"""Screenshots of every phase of a live meeting: the chair (fran) on a laptop and on a phone, a
member on a phone (mo, who presents) and a member on a laptop (priya, who asks).

    .venv/bin/python tests/browser/room_screenshots.py http://127.0.0.1:8000 /tmp/room

Runs a whole meeting on a running demo: it closes Aurora's next meeting, so reload the demo after.
"""

import sys
import time
from pathlib import Path

from chromium import launch
from playwright.sync_api import Page, sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/room")
NEXT = "#chair-bar >> text=Next →"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def sign_in(page: Page, who: str) -> Page:
    page.goto(BASE + "/accounts/login/")
    page.fill("input[name=login]", f"{who}@demo.revans.test")
    page.fill("input[name=password]", "revans-demo")
    page.click("form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    return page


def shot(pages: dict[str, Page], name: str) -> None:
    time.sleep(0.4)  # let the last event land on every screen
    for who, page in pages.items():
        page.screenshot(path=OUT / f"{name}-{who}.png", full_page=True)
        # What a phone shows without scrolling: the chair's bar must be in it.
        if page.viewport_size == PHONE:
            page.screenshot(path=OUT / f"{name}-{who}-screen.png")


def wait_for_stage(page: Page, text: str) -> None:
    page.wait_for_selector(f'#stage-title:has-text("{text}")')


def advance(chair: Page, member: Page, stage: str) -> None:
    """The chair moves the meeting on; waits until the member's screen shows ``stage``."""
    chair.click(NEXT)
    wait_for_stage(member, stage)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)

        def person(who: str, viewport: dict) -> Page:
            return sign_in(browser.new_context(viewport=viewport).new_page(), who)

        fran = person("fran", LAPTOP)
        fran_phone = person("fran", PHONE)
        mo = person("mo", PHONE)
        priya = person("priya", LAPTOP)
        pages = {
            "chair-laptop": fran,
            "chair-phone": fran_phone,
            "member-phone": mo,
            "member-laptop": priya,
        }
        fran.goto(BASE + "/dashboard/")
        fran.click('h2 a:has-text("Aurora")')
        fran.click("text=Open the meeting room")
        for page in pages.values():
            if page is not fran:
                page.goto(fran.url)
            page.wait_for_selector("text=Connected")
        mo.click("text=I'm here")
        fran.wait_for_selector('.attendance-list li:has-text("Mo Rahman") .mark.present')
        shot(pages, "1-check-in")
        advance(fran, mo, "Report-back")
        shot(pages, "2-report-back")
        while "Bidding" not in fran.inner_text("#stage-title"):
            fran.click(NEXT)
            time.sleep(0.2)
        mo.click("form.inline-form button[type=submit]")
        priya.fill("#input-headline", "Rotas that people can live with")
        priya.click("form.inline-form button[type=submit]")
        fran.wait_for_selector("input.order >> nth=1")
        fran.fill("input.order >> nth=0", "1")
        shot(pages, "3-bidding")
        fran.click("text=Set the presenters")
        mo.wait_for_selector("text=Presenting:")
        shot(pages, "3b-bidding-set")
        advance(fran, mo, "Presenting")
        shot(pages, "4-present")
        advance(fran, mo, "Questions")
        priya.fill("#input-question", "Have you tried talking to them?")
        priya.click("form.inline-form button[type=submit]")
        priya.wait_for_selector("#coach .badge")
        fran.fill("#input-question", "What would be different if it worked?")
        fran.click("form.inline-form button[type=submit]")
        fran.wait_for_selector("#coach .badge")  # the coach's word comes a second later
        mo.click("text=Mark as powerful")
        fran.wait_for_selector('.badge:has-text("Powerful")')
        priya.fill("#input-question", "What matters most to you")  # half-typed, not sent
        shot(pages, "5-questions")
        advance(fran, mo, "Actions")
        mo.fill("#input-action", "Talk to both team leaders on Monday")
        mo.click("form.inline-form button[type=submit]")
        fran.wait_for_selector("text=Talk to both team leaders")
        shot(pages, "6-actions")
        advance(fran, mo, "Reflection")
        shot(pages, "7-reflection")
        advance(fran, mo, "Process review")
        mo.fill("#input-note", "Good pace today")
        mo.click("form.inline-form button[type=submit] >> nth=0")
        fran.wait_for_selector("text=Good pace today")
        shot(pages, "8-process-review")
        advance(fran, mo, "Summary")
        shot(pages, "9-summary")
        fran.click("text=Close the meeting and send the summary")
        fran.wait_for_selector("dialog[open]")
        shot({"chair-laptop": fran}, "9b-close-dialog")
        fran.click("dialog button.danger")
        mo.wait_for_selector("text=The meeting is closed")
        shot(pages, "10-closed")
        browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
