"""Screenshots of every phase of a live meeting, at laptop (fran, chair) and phone (mo) widths.

    .venv/bin/python tests/browser/room_screenshots.py http://127.0.0.1:8000 /tmp/room

Runs a whole meeting on a running demo (it closes Aurora's next meeting: reload the demo after).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from chromium import launch
from playwright.sync_api import sync_playwright

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
out = Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/room")
out.mkdir(parents=True, exist_ok=True)


def login(ctx, who):
    pg = ctx.new_page()
    pg.goto(base + "/accounts/login/")
    pg.fill("input[name=login]", f"{who}@demo.revans.test")
    pg.fill("input[name=password]", "revans-demo")
    pg.click("form button[type=submit]")
    pg.wait_for_url("**/dashboard/")
    return pg


def shot(f, m, name):
    time.sleep(0.4)
    f.screenshot(path=out / f"{name}-laptop.png", full_page=True)
    m.screenshot(path=out / f"{name}-phone.png", full_page=True)


with sync_playwright() as p:
    b = launch(p)
    f = login(b.new_context(viewport={"width": 1280, "height": 800}), "fran")
    m = login(b.new_context(viewport={"width": 390, "height": 844}), "mo")
    f.goto(base + "/sets/1/")
    f.click("text=Open the meeting room")
    url = f.url
    m.goto(url)
    f.wait_for_selector("text=Connected")
    m.wait_for_selector("text=Connected")
    shot(f, m, "1-checkin")
    f.click("text=Next →")
    f.click("text=Next →")  # Ana -> Dev
    m.wait_for_selector('#stage-title:has-text("Dev")')
    shot(f, m, "2-reportback")
    f.click('button:has-text("Done") >> nth=0')
    time.sleep(0.3)
    for _ in range(5):
        f.click("text=Next →")
        time.sleep(0.15)
    m.wait_for_selector('#stage-title:has-text("Bidding")')
    m.click("form.inline-form button[type=submit]")
    f.wait_for_selector("#order-%s" % m.evaluate('document.getElementById("room").dataset.me'))
    f.fill("input.order >> nth=0", "1")
    f.click("text=Set the presenters")
    m.wait_for_selector("text=Presenting:")
    shot(f, m, "3-bidding")
    f.click("text=Next →")
    m.wait_for_selector('#stage-title:has-text("Presenting")')
    shot(f, m, "4-present")
    f.click("text=Next →")
    m.wait_for_selector('#stage-title:has-text("Questions")')
    f.fill("#input-question", "What would be different if it worked?")
    f.click("form.inline-form button[type=submit]")
    m.wait_for_selector("text=Mark as powerful")
    m.click("text=Mark as powerful")
    f.wait_for_selector('.badge:has-text("Powerful")')
    shot(f, m, "5-questions")
    f.click("text=Next →")
    m.wait_for_selector('#stage-title:has-text("Actions")')
    m.fill("#input-action", "Talk to both team leaders on Monday")
    m.click("form.inline-form button[type=submit]")
    f.wait_for_selector("text=Talk to both team leaders")
    shot(f, m, "6-actions")
    f.click("text=Next →")
    m.wait_for_selector('#stage-title:has-text("Reflection")')
    shot(f, m, "7-reflection")
    f.click("text=Next →")
    m.wait_for_selector('#stage-title:has-text("Process review")')
    m.fill("#input-note", "Good pace today")
    m.click("form.inline-form button[type=submit] >> nth=0")
    f.wait_for_selector("text=Good pace today")
    shot(f, m, "8-review")
    f.click("text=Next →")
    m.wait_for_selector('#stage-title:has-text("Summary")')
    shot(f, m, "9-summary")
    f.click("text=Close the meeting")
    m.wait_for_selector("text=The meeting is closed")
    shot(f, m, "10-closed")
    b.close()
print("done")
