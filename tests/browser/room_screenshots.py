"""Screenshots of every phase of a live meeting, at laptop (fran, in the chair) and phone (mo).

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
NEXT = "text=Next →"


def sign_in(page: Page, who: str) -> Page:
    page.goto(BASE + "/accounts/login/")
    page.fill("input[name=login]", f"{who}@demo.revans.test")
    page.fill("input[name=password]", "revans-demo")
    page.click("form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    return page


def shot(chair: Page, member: Page, name: str) -> None:
    time.sleep(0.4)  # let the last event land on both screens
    chair.screenshot(path=OUT / f"{name}-laptop.png", full_page=True)
    member.screenshot(path=OUT / f"{name}-phone.png", full_page=True)


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
        fran = sign_in(
            browser.new_context(viewport={"width": 1280, "height": 800}).new_page(), "fran"
        )
        mo = sign_in(browser.new_context(viewport={"width": 390, "height": 844}).new_page(), "mo")
        fran.goto(BASE + "/dashboard/")
        fran.click('h2 a:has-text("Aurora")')
        fran.click("text=Open the meeting room")
        mo.goto(fran.url)
        for page in (fran, mo):
            page.wait_for_selector("text=Connected")
        shot(fran, mo, "1-check-in")
        fran.click(NEXT)
        advance(fran, mo, "Dev")
        shot(fran, mo, "2-report-back")
        while "Bidding" not in fran.inner_text("#stage-title"):
            fran.click(NEXT)
            time.sleep(0.2)
        mo.click("form.inline-form button[type=submit]")
        fran.wait_for_selector("input.order")
        fran.fill("input.order >> nth=0", "1")
        fran.click("text=Set the presenters")
        mo.wait_for_selector("text=Presenting:")
        shot(fran, mo, "3-bidding")
        advance(fran, mo, "Presenting")
        shot(fran, mo, "4-present")
        advance(fran, mo, "Questions")
        fran.fill("#input-question", "What would be different if it worked?")
        fran.click("form.inline-form button[type=submit]")
        mo.click("text=Mark as powerful")
        fran.wait_for_selector('.badge:has-text("Powerful")')
        shot(fran, mo, "5-questions")
        advance(fran, mo, "Actions")
        mo.fill("#input-action", "Talk to both team leaders on Monday")
        mo.click("form.inline-form button[type=submit]")
        fran.wait_for_selector("text=Talk to both team leaders")
        shot(fran, mo, "6-actions")
        advance(fran, mo, "Reflection")
        shot(fran, mo, "7-reflection")
        advance(fran, mo, "Process review")
        mo.fill("#input-note", "Good pace today")
        mo.click("form.inline-form button[type=submit] >> nth=0")
        fran.wait_for_selector("text=Good pace today")
        shot(fran, mo, "8-process-review")
        advance(fran, mo, "Summary")
        shot(fran, mo, "9-summary")
        fran.click("text=Close the meeting")
        mo.wait_for_selector("text=The meeting is closed")
        shot(fran, mo, "10-closed")
        browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
