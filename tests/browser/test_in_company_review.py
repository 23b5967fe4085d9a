"""In-company sets in the browser: a manager chooses them in the settings, and the review marks
the in-company sets, on a laptop and on a phone, with axe on the review. Set REVANS_SHOTS to a
folder to keep screenshots of both pages at both widths."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_journeys import PHONE, describe

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
SMALL = ["Alder Works", "Birch Partners", "Cedar Group", "Damson Foods", "Elm Logistics"]


def cohort_file() -> bytes:
    """Thirteen people from Harbour Housing and fourteen from five small organisations."""
    lines = ["email,name,organisation,sector,role_level,location"]
    lines += [
        f"h{k}@harbour.org,Harbour {k},Harbour Housing,housing,{k % 4 + 1},Hull" for k in range(13)
    ]
    lines += [
        f"s{k}@small{k % 5}.org,Small {k},{SMALL[k % 5]},sector {k % 3},{k % 5 + 1},Town {k % 4}"
        for k in range(14)
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def cohort(demo):
    from revans.accounts.models import User
    from revans.formation import imports
    from revans.programmes.models import Programme

    preview = imports.preview_import(cohort_file(), "harbour.csv")
    assert preview.ok, preview.errors
    programme = Programme.objects.get(pk=demo.programme_id)
    cohort = imports.do_import(programme, preview, User.objects.get(email=demo.email("pam")))
    cohort.seconds = 1
    cohort.save()
    return cohort


def form(cohort) -> None:
    from revans.formation import runs

    run = runs.FormationRun.objects.create(cohort=cohort, seconds=1)
    assert runs.execute_run(run.pk) == runs.FormationRun.Status.DONE


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("REVANS_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_manager_chooses_in_company_sets(browsing, sign_in, cohort, width):
    page = browsing.new_page(viewport=LAPTOP if width == "laptop" else PHONE)
    sign_in(page, "pam")
    page.goto(f"/programmes/{cohort.programme_id}/cohort/")
    page.get_by_text("Settings and weights").click()
    choice = page.get_by_label("In-company sets when five or more come from one organisation")
    expect(page.get_by_label("Always mix organisations")).to_be_checked()
    choice.check()
    shoot(page, f"in-company-settings-{width}")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved")).to_be_visible()
    cohort.refresh_from_db()
    assert cohort.in_company == 5


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_the_review_marks_the_in_company_sets(browsing, sign_in, cohort, width):
    from axe_playwright_python.sync_playwright import Axe

    cohort.mix = cohort.Mix.IN_COMPANY
    cohort.save()
    form(cohort)
    viewport = LAPTOP if width == "laptop" else PHONE
    page = browsing.new_page(viewport=viewport)
    sign_in(page, "pam")
    page.goto(f"/programmes/{cohort.programme_id}/cohort/")
    badges = page.locator(".proposed-set .badge.company")
    expect(badges).to_have_count(2)
    expect(badges.first).to_have_text("In-company: Harbour Housing")
    expect(page.locator(".company-note")).to_contain_text("2 in-company sets", use_inner_text=True)
    expect(page.get_by_text("Every rule holds", exact=True)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"] + 1
    shoot(page, f"in-company-review-{width}")
    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, describe(serious)
