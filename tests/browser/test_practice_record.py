"""A facilitator's practice record in the browser: fran opens it from her profile, reads what
Revans counted and what she recorded, adds supervision, is told clearly when an entry would
make a day longer than 24 hours, and downloads the PDF and the CSV. Axe and the screen's width
on a laptop and a phone. Set REVANS_SHOTS to a folder to keep screenshots."""

import pytest
from playwright.sync_api import expect
from test_evidence import WIDTHS, check, shoot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_a_facilitator_keeps_her_practice_record(browsing, sign_in, width):
    page = browsing.new_page(viewport=WIDTHS[width])
    sign_in(page, "fran")
    page.goto("/me/")
    page.get_by_role("link", name="My practice record").click()
    expect(page.get_by_role("heading", level=1, name="My practice record")).to_be_visible()
    expect(page.get_by_role("heading", name="Meetings you facilitated in Revans")).to_be_visible()
    expect(page.locator("dl.tiles")).to_contain_text("Facilitation hours")
    check(page, f"the practice record ({width})")
    shoot(page, f"practice-record-{width}")

    form = page.locator("form", has=page.get_by_role("button", name="Add", exact=True))
    form.get_by_label("What it was").select_option(label="Supervision")
    form.get_by_label("Date").fill("2026-11-02")
    form.get_by_label("Hours").fill("30")
    form.get_by_label("Client, supervisor or event").fill("Sam Reid")
    form.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("A day has 24 hours: record at most 24 on one date.")).to_be_visible()
    check(page, f"the practice record with an error ({width})")
    page.locator("form", has=page.get_by_role("button", name="Add", exact=True)).get_by_label(
        "Hours"
    ).fill("1.5")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Added: Supervision, Sam Reid.")).to_be_visible()
    expect(page.locator("#entries").locator("xpath=..")).to_contain_text("Sam Reid")

    for link, suffix in (("Record (PDF)", ".pdf"), ("Record (CSV)", ".csv")):
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        assert download.value.suggested_filename.endswith(suffix)
