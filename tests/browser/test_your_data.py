"""Your data in a real browser, served over ASGI as in production: a member downloads the ZIP
of everything they wrote, and another deletes their account, after which their set still reads
with "A former member" in their place."""

import json
import zipfile

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_member_downloads_their_data_from_their_profile(page, sign_in, demo):
    sign_in(page, "mo")
    page.goto("/me/")
    page.get_by_role("link", name="Download my data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download my data").click()
    download = waiting.value
    assert download.suggested_filename.startswith("revans-my-data-")
    archive = zipfile.ZipFile(download.path())
    assert "index.html" in archive.namelist()
    issues = json.loads(archive.read("issues.json"))
    assert issues and all(issue["title"] for issue in issues)
    assert "fran@" not in archive.read("memberships.json").decode()


def test_a_member_deletes_their_account_and_the_set_still_reads(browsing, sign_in, demo):
    tom = browsing.new_page(viewport=PHONE)
    sign_in(tom, "tom")
    tom.goto("/me/")
    tom.get_by_role("link", name="Delete my account").click()
    expect(tom.get_by_text("Kept for your sets' history")).to_be_visible()
    tom.get_by_label("Type your e-mail address to confirm").fill("someone@else.example")
    tom.get_by_role("button", name="Delete my account").click()
    expect(tom.get_by_text("That is not the address you sign in with")).to_be_visible()
    tom.get_by_label("Type your e-mail address to confirm").fill(demo.email("tom"))
    tom.get_by_role("button", name="Delete my account").click()
    expect(tom.get_by_text("Your account is deleted")).to_be_visible()
    tom.goto("/dashboard/")
    assert "/accounts/login/" in tom.url

    fran = browsing.new_page()
    sign_in(fran, "fran")
    fran.goto(f"/sets/{demo.aurora_id}/members/")
    expect(fran.get_by_text("A former member left the set")).to_be_visible()
    expect(fran.get_by_text("Tom Hughes")).to_have_count(0)
