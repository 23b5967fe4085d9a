"""Date polls in the browser: Beacon's open poll (revans.site.demo_polls), a member answering in
the grid, the facilitator choosing the best time, a member proposing times with "Add another
time", and the e-mailed answer page; axe and the screen's width on each, phone and laptop."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from conftest import DESKTOP

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
OVERFLOW_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def beacon_poll():
    from revans.accounts.models import User
    from revans.polls.models import Poll
    from revans.sets.models import Set
    from revans.site.demo import DOMAIN
    from revans.site.demo_polls import load_beacon_poll

    beacon = Set.objects.get(name="Beacon")
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=DOMAIN)}
    load_beacon_poll(beacon, people)  # nothing when the demo already made it
    return Poll.objects.get(set=beacon)


def serious(page) -> list:
    violations = Axe().run(page).response["violations"]
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_a_member_answers_in_the_grid_and_the_facilitator_chooses_the_best_time(
    browsing, sign_in, demo
):
    from revans.meetings.models import Meeting

    poll = beacon_poll()
    best = poll.slots.order_by("starts_at")[2]  # five yes in the demo's answers
    oli = browsing.new_page()
    sign_in(oli, "oli")
    oli.goto(f"/sets/{poll.set_id}/")
    oli.get_by_role("link", name=poll.title).click()
    expect(oli.get_by_role("heading", name=poll.title)).to_be_visible()
    assert not serious(oli)
    oli.locator(f"#slot-{best.pk}").select_option("yes")
    oli.get_by_role("button", name="Save my answers").click()
    expect(oli.get_by_text("Your answers are saved.")).to_be_visible()
    expect(oli.locator(f"#slot-{best.pk}")).to_have_value("yes")

    gus = browsing.new_page()
    sign_in(gus, "gus")
    gus.goto(poll.get_absolute_url())
    gus.get_by_role("link", name="Choose this time").first.click()
    expect(gus.get_by_role("heading", name="Make this the set's meeting?")).to_be_visible()
    assert not serious(gus)
    gus.get_by_role("button", name="Make it the meeting").click()
    expect(gus.get_by_text("is in the set's calendar; everyone has been told")).to_be_visible()
    meeting = Meeting.objects.get(set_id=poll.set_id, starts_at=best.starts_at)
    assert gus.url.endswith(meeting.get_absolute_url())


def test_a_member_proposes_times_adding_a_row(browsing, sign_in, demo):
    from datetime import timedelta

    from django.utils import timezone

    from revans.polls.models import Poll

    page = browsing.new_page()
    sign_in(page, "mo")
    page.goto(f"/sets/{demo.aurora_id}/")
    page.get_by_role("link", name="Find a date").click()
    assert not serious(page)
    page.get_by_role("button", name="Add another time").click()
    assert page.locator("input[type=date]").count() == 4
    for k, days in enumerate((9, 10, 16, 17)):
        when = timezone.localdate() + timedelta(days=days)
        page.locator(f"#id_slot-{k}-date").fill(when.isoformat())
        page.locator(f"#id_slot-{k}-time").fill("10:00")
    page.get_by_label("What for").fill("Meeting 4")
    page.get_by_role("button", name="Open the poll").click()
    expect(page.get_by_text("Poll opened")).to_be_visible()
    poll = Poll.objects.get(set_id=demo.aurora_id)
    assert poll.slots.count() == 4 and poll.title == "Meeting 4"


def test_poll_pages_pass_axe_and_fit_a_phone(browsing, sign_in, demo):
    from revans.accounts.models import User
    from revans.polls.links import answer_token

    poll = beacon_poll()
    zoe = User.objects.get(email=demo.email("zoe"))
    link = f"/polls/answer/{answer_token(poll.pk, zoe.pk)}/"
    for viewport in (PHONE, DESKTOP):
        anonymous = browsing.new_page(viewport=viewport)
        anonymous.goto(link)
        expect(anonymous.get_by_text("Zoe Evans, when can you come?")).to_be_visible()
        assert not serious(anonymous)
        width, inner = anonymous.evaluate(OVERFLOW_JS)
        assert width <= inner + 1, f"{link} is {width}px wide on {inner}px"
        page = browsing.new_page(viewport=viewport)
        sign_in(page, "gus")
        for path in (poll.get_absolute_url(), f"/sets/{poll.set_id}/polls/new/"):
            page.goto(path)
            page.wait_for_load_state("load")
            assert not serious(page), path
            width, inner = page.evaluate(OVERFLOW_JS)
            assert width <= inner + 1, f"{path} is {width}px wide on {inner}px"
