"""Two browsers in one live meeting: the facilitator moves it on, the member sees it at once."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def next_meeting_id(demo) -> int:
    from django.utils import timezone

    from revans.meetings.models import Meeting

    return Meeting.objects.filter(set_id=demo.aurora_id, starts_at__gt=timezone.now()).first().pk


def test_facilitator_and_member_see_each_phase_change_and_the_timer(browsing, sign_in, demo):
    room = f"/meetings/{next_meeting_id(demo)}/room/"
    fran, mo = browsing.new_page(), browsing.new_page(viewport={"width": 390, "height": 844})
    sign_in(fran, "fran")
    sign_in(mo, "mo")
    fran.goto(room)
    mo.goto(room)
    for page in (fran, mo):
        expect(page.locator("#connection")).to_have_text("Connected")
        expect(page.locator("#stage-title")).to_have_text("Check-in")
    expect(mo.get_by_role("button", name="Next →")).to_have_count(0)  # only the chair moves on

    fran.get_by_role("button", name="Next →").click()
    expect(mo.locator("#stage-title")).to_have_text(re.compile("Report-back"), timeout=1000)
    fran.get_by_role("button", name="← Back").click()
    expect(mo.locator("#stage-title")).to_have_text("Check-in", timeout=1000)

    # Entering a stage starts its planned minutes on the shared clock.
    expect(mo.locator("#timer")).not_to_have_class(re.compile("paused"), timeout=1000)
    fran.get_by_role("button", name="Pause timer").click()
    expect(mo.locator("#timer-note")).to_have_text("Paused", timeout=1000)
    fran.get_by_role("button", name="+5 min").click()
    expect(mo.locator("#timer")).to_have_text(re.compile(r"^(9|10):\d\d$"), timeout=1000)
    fran.get_by_role("button", name="Start timer").click()
    expect(mo.locator("#timer-note")).to_have_text("", timeout=1000)

    # A dropped connection does not move control: the member reloads, fran keeps the chair.
    mo.reload()
    expect(mo.locator("#chair-name")).to_have_text(re.compile("Fran Okafor is in the chair"))
    expect(mo.locator("#stage-title")).to_have_text("Check-in")


def test_hand_over_gives_the_member_the_controls(browsing, sign_in, demo):
    room = f"/meetings/{next_meeting_id(demo)}/room/"
    fran, mo = browsing.new_page(), browsing.new_page()
    sign_in(fran, "fran")
    sign_in(mo, "mo")
    fran.goto(room)
    mo.goto(room)
    expect(fran.locator("#connection")).to_have_text("Connected")
    fran.get_by_label("Hand the chair to").select_option(label="Mo Rahman")
    fran.get_by_role("button", name="Hand over").click()
    expect(mo.get_by_role("button", name="Next →")).to_be_visible(timeout=1000)
    mo.get_by_role("button", name="Next →").click()
    expect(fran.locator("#stage-title")).to_have_text(re.compile("Report-back"), timeout=1000)
    fran.get_by_role("button", name="Take the chair").click()
    expect(fran.get_by_role("button", name="Next →")).to_be_visible(timeout=1000)
