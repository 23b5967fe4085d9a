"""The programme's evidence in the browser: the manager's dashboard with its charts and tables and
its report downloads, the facilitator's sets across programmes and one set's figures, on a
laptop and a phone, with axe on each page and nothing wider than the screen. Set REVANS_SHOTS to
a folder to keep screenshots."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from test_journeys import OVERFLOW_JS, PHONE, describe

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
WIDTHS = {"laptop": LAPTOP, "phone": PHONE}


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("REVANS_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def check(page: Page, name: str) -> None:
    """No serious accessibility violation, nothing wider than the screen."""
    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe on {name}:\n{describe(serious)}"
    sizes = page.evaluate(OVERFLOW_JS)
    assert sizes["scrollWidth"] <= sizes["innerWidth"] + 1, f"{name} is too wide: {sizes}"


@pytest.mark.parametrize("width", WIDTHS)
def test_manager_reads_the_dashboard_and_downloads_the_report(browsing, sign_in, demo, width):
    page = browsing.new_page(viewport=WIDTHS[width])
    sign_in(page, "pam")
    page.goto(f"/programmes/{demo.programme_id}/")
    page.get_by_role("link", name="Dashboard and reports").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.get_by_role("heading", name="Sets that need attention")).to_be_visible()
    expect(page.locator("table.figures").first).to_contain_text("Aurora")
    expect(page.locator("[data-chart='chart-meetings'] canvas")).to_be_visible()  # drawn
    check(page, f"the dashboard ({width})")
    shoot(page, f"programme-dashboard-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Report (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as download:
        page.get_by_role("link", name="Figures (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("button", name="Make them again now").click()
    expect(page.get_by_text("Figures made again from the latest records.")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_facilitator_follows_their_sets(browsing, sign_in, demo, width):
    page = browsing.new_page(viewport=WIDTHS[width])
    sign_in(page, "fran")
    page.get_by_role("link", name="1 set").or_(page.get_by_role("link", name="2 sets")).click()
    expect(page.get_by_role("heading", level=1, name="Sets I facilitate")).to_be_visible()
    check(page, f"sets I facilitate ({width})")
    shoot(page, f"facilitator-sets-{width}")
    page.get_by_role("link", name="Attendance, actions, pulse of Aurora").click()
    expect(page.get_by_role("heading", level=1, name="How the set is going")).to_be_visible()
    expect(page.get_by_role("heading", name="Attendance per member")).to_be_visible()
    check(page, f"set figures ({width})")
    shoot(page, f"set-figures-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_council_programme_shows_its_slipping_set_and_its_benefits(
    browsing, sign_in, demo, width
):
    from revans.programmes.models import Programme
    from revans.site.demo import load_demo

    load_demo(cohort=False)  # the council programme, beside what the journeys load
    council = Programme.objects.get(name="Merseyvale Council Leadership")
    page = browsing.new_page(viewport=WIDTHS[width])
    sign_in(page, "pam")
    page.goto(f"/programmes/{council.pk}/dashboard/")
    attention = page.locator(
        "section", has=page.get_by_role("heading", name="Sets that need attention")
    )
    expect(attention).to_contain_text("Willow")
    expect(page.locator("[data-chart='chart-change'] canvas")).to_be_visible()
    expect(page.locator("[data-chart='chart-pulse'] canvas")).to_be_visible()
    check(page, f"the council programme's dashboard ({width})")
    shoot(page, f"council-dashboard-{width}")
