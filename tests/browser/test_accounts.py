"""Signing up in the demo, and the sign-in pages and learning-log work waiting, in a real browser:
no serious accessibility violations, nothing wider than a phone (architecture.md §7)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "a long pass phrase for a newcomer"


def serious_violations(page: Page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} on {page.url}: {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def overflow(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


def test_newcomer_signs_up_in_the_demo_and_follows_the_link_shown(page, demo, settings):
    settings.MODE = "demo"
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Your name").fill("Rosa Newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.get_by_text("This is a demo")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Confirm my e-mail address").click()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("heading", level=1, name="My sets")).to_be_visible()
    expect(page.get_by_text("You are not in a set yet")).to_be_visible()


def test_outside_the_demo_the_page_offers_to_send_it_again(page, demo):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Your name").fill("Rosa Newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    expect(page.get_by_text("This is a demo")).to_have_count(0)
    page.get_by_role("button", name="Send it again").click()
    expect(page.get_by_text("Confirmation email sent to rosa@example.org").first).to_be_visible()


def test_sign_in_pages_and_waiting_work_are_accessible_and_fit_a_phone(browsing, sign_in, demo):
    from revans.journal.models import Log, Submission

    log = Log.objects.get(owner__email=demo.email("fran"), title="ILM facilitator log")
    problems: list[str] = []
    wide: list[str] = []

    def look(page: Page, path: str | None = None) -> None:
        if path:
            page.goto(path)
        page.wait_for_load_state("load")
        problems.extend(serious_violations(page))
        if overflow(page):
            wide.append(page.url)

    visitor = browsing.new_page(viewport=PHONE)
    for path in ("/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"):
        look(visitor, path)
    visitor.get_by_role("button", name="Sign up").click()
    look(visitor)  # the sign-up form with its errors

    fran = sign_in.through_the_form(browsing.new_page(viewport=PHONE), "fran")
    for path in (
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/logout/",
        f"/journal/{log.pk}/submit/",
    ):
        look(fran, path)
    fran.get_by_role("button", name="Submit version 1").click()
    fran.wait_for_url("**/history/")

    asa = sign_in(browsing.new_page(viewport=PHONE), "asa")
    expect(asa.get_by_role("heading", name="To assess")).to_be_visible()
    look(asa)
    assert Submission.objects.filter(log=log, status="submitted").exists()
    assert problems == []
    assert wide == []
