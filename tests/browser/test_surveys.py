"""Surveys and the pulse in the browser: the pulse in the live room at the process review (each
member answers for themselves, the chair never sees it), and the survey pages checked by axe and
for overflow on a phone."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def room_at(demo, stage: str) -> str:
    """Aurora's next meeting's room, already at ``stage``; returns the room's path."""
    from django.utils import timezone

    from revans.meetings.models import Meeting
    from revans.meetings.room import services

    meeting = Meeting.objects.filter(set_id=demo.aurora_id, starts_at__gt=timezone.now()).first()
    room = services.open_room(meeting)
    room.stage = stage
    room.timer_seconds, room.timer_elapsed, room.timer_started_at = 600, 0, None
    room.save()
    return f"/meetings/{room.meeting_id}/room/"


def test_a_member_answers_the_pulse_in_the_room_at_the_process_review(browsing, sign_in, demo):
    from revans.accounts.models import User
    from revans.evaluation.models import Response

    room = room_at(demo, "bidding")
    fran, mo = browsing.new_page(), browsing.new_page(viewport=PHONE)
    for page, key in ((fran, "fran"), (mo, "mo")):
        sign_in(page, key)
        page.goto(room)
        expect(page.locator("#connection")).to_have_text("Connected")
    pulse = mo.locator(".pulse")
    expect(pulse).to_be_hidden()  # not before the process review
    fran.locator("#stage-list").get_by_text("Process review").click()
    expect(pulse).to_be_visible()
    expect(fran.locator(".pulse")).to_have_count(0)  # the facilitator does not rate the meeting
    pulse.get_by_role("radio", name="Very useful (4 of 5)").check()
    pulse.get_by_role("radio", name="Fully (5 of 5)").check()
    pulse.get_by_role("button", name="Send").click()
    expect(mo.locator(".pulse")).to_contain_text("Thank you: saved.")
    expect(mo.locator("#stage-title")).to_have_text("Process review")  # still in the room
    fran.locator("#stage-list").get_by_text("Bidding for airtime").click()
    expect(mo.locator(".pulse")).to_be_hidden()  # the chair stepped back: the pulse waits
    fran.locator("#stage-list").get_by_text("Summary").click()
    expect(mo.locator(".pulse")).to_be_visible()
    mo_id = User.objects.get(email=demo.email("mo")).pk
    answers = {a.question: a.value for a in Response.objects.get(user_id=mo_id).answers.all()}
    assert answers == {"useful": 4, "voice": 5}
    serious = [
        v for v in Axe().run(mo).response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious


@pytest.mark.parametrize(
    "path",
    [
        lambda demo: f"/sets/{demo.aurora_id}/survey/start/",
        lambda demo: f"/sets/{demo.aurora_id}/",
        lambda demo: "/me/answers/",
    ],
    ids=["start survey", "set page", "my answers"],
)
def test_the_survey_pages_on_a_phone_are_accessible_and_fit(browsing, sign_in, demo, path):
    page = sign_in(browsing.new_page(viewport=PHONE), "mo")
    page.goto(path(demo))
    page.wait_for_load_state("load")
    serious = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
    folder = os.environ.get("REVANS_SHOTS")
    if folder:
        name = page.url.rstrip("/").rsplit("/", 2)[-2:]
        page.screenshot(path=f"{folder}/phone-{'-'.join(name)}.png", full_page=True)


def test_the_programmes_survey_questions_are_accessible(page, sign_in, demo):
    sign_in(page, "pam")
    page.goto(f"/programmes/{demo.programme_id}/survey-questions/")
    serious = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
