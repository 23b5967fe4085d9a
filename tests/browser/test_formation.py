"""Journeys of a programme manager forming sets: import a cohort file (a bad one first), form
the sets with the progress shown, move a person by dragging, lock, suggest facilitators and
accept; cancel a run; and axe on every formation page."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from test_journeys import PHONE, describe

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def northern_leaders(demo):
    """The demo's second programme, with its 400 people awaiting formation."""
    from revans.accounts.models import Organisation, User
    from revans.site.demo import load_cohort_programme

    load_cohort_programme(
        User.objects.get(email=demo.email("pam")),
        Organisation.objects.get(name="North West Councils Partnership"),
    )


GOOD = (
    "email,name,organisation,sector,role_level,location,manager_email,keep_apart\n"
    + "\n".join(
        f"p{k}@example.org,Person {k},Org {k % 6},Sector {k % 3},{1 + k % 5},Town {k % 4},"
        + (f"p{k - 1}@example.org" if k % 7 == 1 else "")
        + ","
        + (f"p{k + 2}@example.org" if k % 9 == 0 and k + 2 < 24 else "")
        for k in range(24)
    )
    + "\n"
).encode()
BAD = b"email,name,organisation\nann@example.org,Ann,Acme\nann@example.org,Ann again,\n"


def _northern(demo_seconds: int = 2):
    from revans.formation.models import Cohort
    from revans.site.demo import COHORT_PROGRAMME

    cohort = Cohort.objects.get(programme__name=COHORT_PROGRAMME)
    cohort.seconds = demo_seconds
    cohort.save(update_fields=["seconds"])
    return cohort


def _set_card(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def test_manager_imports_a_cohort_after_mending_a_bad_file(page, sign_in, demo):
    sign_in(page, "pam")
    page.goto(f"/programmes/{demo.programme_id}/")
    page.get_by_role("link", name="Form sets from a cohort").click()
    upload = page.get_by_label("Cohort file", exact=True)
    upload.set_input_files({"name": "cohort.csv", "mimeType": "text/csv", "buffer": BAD})
    page.get_by_role("button", name="Check the file").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("cannot be imported yet")
    expect(alert).to_contain_text("rows 2 and 3")
    expect(alert).to_contain_text("row 3: empty organisation")
    page.get_by_label("Cohort file", exact=True).set_input_files(
        {"name": "cohort.csv", "mimeType": "text/csv", "buffer": GOOD}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="cohort.csv is ready to import")).to_be_visible()
    page.get_by_role("button", name="Import 24 people").click()
    expect(page.get_by_role("heading", name="Form sets", exact=True)).to_be_visible()
    expect(page.get_by_text("24 people imported from cohort.csv")).to_be_visible()


def test_manager_forms_moves_locks_and_accepts_the_demo_cohort(page, sign_in, demo):
    from django.core import mail

    from revans.sets.models import Set

    cohort = _northern()
    sign_in(page, "pam")
    page.goto(f"/programmes/{cohort.programme_id}/")
    page.get_by_role("link", name="Form sets (400 people waiting)").click()
    page.get_by_role("button", name="Form the sets").click()
    expect(page.locator("#run-progress")).to_be_visible()  # the run's progress, polled
    expect(page.get_by_role("heading", name="Proposed sets")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Every rule holds", exact=True)).to_be_visible()
    expect(page.locator(".proposed-set")).to_have_count(57)

    # Drag the first person of Set 1 onto Set 2: the board is scored again without a reload.
    first = _set_card(page, "Set 1").locator(".member").first
    name = first.locator(".who").inner_text()
    first.drag_to(_set_card(page, "Set 2"))
    expect(page.get_by_text("Moved 1 person to Set 2.")).to_be_visible()
    expect(_set_card(page, "Set 2")).to_contain_text(name)
    expect(_set_card(page, "Set 1")).not_to_contain_text(name)

    # Tick them and lock them in place.
    _set_card(page, "Set 2").get_by_label(name).check()
    page.get_by_role("button", name="Lock in place").click()
    expect(page.get_by_text("Locked 1 person")).to_be_visible()
    expect(_set_card(page, "Set 2").locator(".member", has_text=name)).to_contain_text("locked")

    # Facilitators from the pool, never with a member of their own organisation.
    page.get_by_role("button", name="Suggest facilitators for the sets without one").click()
    expect(page.get_by_text("given a facilitator")).to_be_visible()

    page.get_by_role("button", name="Accept and create 57 sets").click()
    expect(page.get_by_text("57 sets created")).to_be_visible(timeout=30_000)
    assert Set.objects.filter(programme_id=cohort.programme_id).count() == 57
    assert len(mail.outbox) >= 390  # the participants who are not yet in Revans are invited


def test_manager_cancels_a_run_and_the_proposal_stays_as_it_was(page, sign_in, demo):
    cohort = _northern(demo_seconds=60)
    sign_in(page, "pam")
    page.goto(f"/programmes/{cohort.programme_id}/cohort/")
    page.get_by_role("button", name="Form the sets").click()
    expect(page.locator("#run-progress")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Cancelled: the proposal is as it was before the run.")).to_be_visible()
    expect(page.get_by_role("button", name="Form the sets")).to_be_visible()
    cohort.refresh_from_db()
    assert not cohort.proposed_sets.exists()


def _formed(demo, people: int | None = None) -> str:
    """The demo's cohort formed into sets; with ``people``, only that many of its 400 (a page
    of a few sets judges the board as well as 57 do, in a fraction of the time)."""
    from revans.formation import runs
    from revans.formation.models import Participant

    cohort = _northern(demo_seconds=1)
    if people is not None:
        keep = cohort.participants.order_by("row").values("pk")[:people]
        Participant.objects.filter(cohort=cohort).exclude(pk__in=keep).delete()
    run = runs.FormationRun.objects.create(cohort=cohort, seconds=1)
    runs.execute_run(run.pk)
    return f"/programmes/{cohort.programme_id}/cohort/"


PAGES = {
    "cohort import": lambda demo: f"/programmes/{demo.programme_id}/cohort/",
    "cohort awaiting formation": lambda demo: f"/programmes/{_northern().programme_id}/cohort/",
    "proposed sets": lambda demo: _formed(demo, people=64),
    "pairs kept apart": lambda demo: f"/programmes/{_northern().programme_id}/cohort/pairs/",
}


@pytest.mark.parametrize("name", PAGES)
def test_formation_pages_have_no_serious_accessibility_violations(page, sign_in, demo, name):
    sign_in(page, "pam")
    response = page.goto(PAGES[name](demo))
    page.wait_for_load_state("load")
    assert response.status == 200
    # The shared styles and forming sets' own (axe judges contrast on the styled page).
    for sheet in ("revans/revans", "revans/formation"):
        expect(page.locator(f"link[rel=stylesheet][href*='{sheet}']")).to_have_count(1)
    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe on {name} ({page.url}):\n{describe(serious)}"


def test_the_proposed_sets_fit_a_phone(browsing, sign_in, demo):
    page = browsing.new_page(viewport=PHONE)
    sign_in(page, "pam")
    page.goto(_formed(demo, people=64))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1


def _top(page: Page, name: str) -> float:
    return _set_card(page, name).evaluate("card => card.getBoundingClientRect().top")


def test_a_move_keeps_the_page_where_it_was(page, sign_in, demo):
    sign_in(page, "pam")
    page.goto(_formed(demo))
    set_20 = _set_card(page, "Set 20")
    set_20.evaluate("card => card.scrollIntoView({block: 'center'})")
    top, scrolled = _top(page, "Set 20"), page.evaluate("() => window.scrollY")
    assert scrolled > 2000  # far down the board

    # Dragged onto the set beside it: Set 20 stays where it was on the screen.
    first = set_20.locator(".member").first
    name = first.locator(".who").inner_text()
    first.drag_to(_set_card(page, "Set 21"))
    expect(page.get_by_text("Moved 1 person to Set 21.")).to_be_visible()
    expect(_set_card(page, "Set 21")).to_contain_text(name)
    assert abs(_top(page, "Set 20") - top) < 3

    # Ticked, and moved with the bar that stays in view: the same.
    _set_card(page, "Set 20").locator("input[name=person]").first.check()
    bar = page.locator(".board-bar")
    assert bar.evaluate("bar => bar.getBoundingClientRect().top") == 0  # stuck to the top
    page.get_by_label("Move the people ticked to").select_option(label="Set 22")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text("Moved 1 person to Set 22.")).to_be_visible()
    assert abs(_top(page, "Set 20") - top) < 3
    # The move made Set 20 too small: its mark is flagged as breaking a rule.
    expect(_set_card(page, "Set 20").locator(".broken")).to_contain_text("size of set 20")

    # A set to mend is reached from the list even when a search hides it.
    page.get_by_label("Find a set").fill("nobody by this name")
    expect(page.locator(".proposed-set:visible")).to_have_count(0)
    page.locator(".broken-sets").get_by_role("link", name="Set 20").click()
    expect(_set_card(page, "Set 20")).to_be_in_viewport()
    expect(page.locator(".proposed-set:visible")).to_have_count(57)


def test_a_set_is_found_by_a_persons_name_as_one_types(page, sign_in, demo):
    from revans.formation.models import Participant

    sign_in(page, "pam")
    page.goto(_formed(demo))
    person = Participant.objects.select_related("proposed_set").filter(name__gt="").first()
    search = page.get_by_label("Find a set")
    search.fill(person.name.lower())
    card = _set_card(page, str(person.proposed_set))
    expect(card).to_be_visible()
    expect(page.locator(".proposed-set:visible")).to_have_count(
        Participant.objects.filter(cohort=person.cohort, name__icontains=person.name)
        .values("proposed_set")
        .distinct()
        .count()
    )
    expect(page.locator("#find-count")).to_contain_text("of 57 sets")
    assert f"find={person.name.lower().replace(' ', '+')}" in page.url  # a reload keeps it

    # A move re-draws the board: the search box keeps its words and the board stays filtered.
    card.locator("input[name=person]").first.check()
    other = "Set 1" if str(person.proposed_set) != "Set 1" else "Set 2"
    page.get_by_label("Move the people ticked to").select_option(label=other)
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text(f"Moved 1 person to {other}.")).to_be_visible()
    expect(search).to_have_value(person.name.lower())
    expect(page.locator(".proposed-set:visible").first).to_be_visible()
    assert page.locator(".proposed-set:visible").count() < 57

    search.fill("")
    expect(page.locator(".proposed-set:visible")).to_have_count(57)
    search.fill("Set 5")
    expect(page.locator(".proposed-set:visible")).to_have_count(
        len([k for k in range(1, 58) if "set 5" in f"set {k}"])
    )


def test_the_search_works_without_javascript(browsing, sign_in, demo):
    from revans.formation.models import Participant

    url = _formed(demo)
    context = browsing.browser.new_context(
        base_url=browsing.base_url, java_script_enabled=False, locale="en-GB"
    )
    browsing.contexts.append(context)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(demo.email("pam"))
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    page.goto(url)
    person = Participant.objects.select_related("proposed_set").filter(name__gt="").last()
    page.get_by_label("Find a set").fill(person.email)
    page.get_by_role("button", name="Find", exact=True).click()
    expect(page.locator(".proposed-set:visible")).to_have_count(1)
    expect(_set_card(page, str(person.proposed_set))).to_be_visible()
    expect(page.get_by_text("1 of 57 sets")).to_be_visible()
