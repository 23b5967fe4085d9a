"""Observed practice in the browser: in Aurora, fran observes mo's chairing. Both are in the live
room at once and both see who is observing; fran writes her feedback; mo reads it and adds it
to his log. Axe and the screen's width on the feedback form and mo's page, on a laptop and a
phone. Set REVANS_SHOTS to a folder to keep screenshots."""

import re

import pytest
from playwright.sync_api import expect
from test_evidence import WIDTHS, check, shoot
from test_room import join, next_meeting

pytestmark = pytest.mark.browser

FEEDBACK = {
    "What went well": "You let the silence after Dev's first question do its work.",
    "Questions that opened things up": "“What would it look like if the teams were one?”",
    "Interventions": "You stopped advice twice, kindly, and named the pattern.",
    "What to try next": "Hand the process review to the set.",
}


def test_the_observer_and_the_trainee_see_the_observation_and_share_the_feedback(
    browsing, sign_in, demo
):
    from revans.accounts.models import User
    from revans.development.models import Observation
    from revans.meetings.models import Attendance
    from revans.meetings.room import services

    meeting = next_meeting(demo)
    fran, mo = (User.objects.get(email=demo.email(key)) for key in ("fran", "mo"))
    observation = Observation.objects.create(
        meeting=meeting, trainee=mo, observer=fran, arranged_by=fran
    )
    services.open_room(meeting)
    room = f"/meetings/{meeting.pk}/room/"

    observer, trainee = join(browsing, sign_in, room, "fran", "mo")
    for page in (observer, trainee):
        expect(page.locator(".observing")).to_contain_text(
            "Fran Okafor is observing Mo Rahman's chairing."
        )
    expect(observer.locator(".observing")).to_contain_text("hand the chair to Mo Rahman")
    shoot(trainee, "observation-room-laptop")
    observer.get_by_label("Hand the chair to").select_option(label="Mo Rahman")
    observer.get_by_role("button", name="Hand over").click()
    expect(trainee.get_by_role("button", name="Next →")).to_be_visible()
    trainee.get_by_role("button", name="Next →").click()
    expect(observer.locator("#stage-title")).to_have_text(re.compile("Report-back"))
    expect(observer.locator(".observing")).to_be_visible()  # in every phase

    Attendance.objects.create(meeting=meeting, user=fran, status=Attendance.Status.PRESENT)
    for width, viewport in WIDTHS.items():
        observer.set_viewport_size(viewport)
        observer.goto(f"/observations/{observation.pk}/feedback/")
        check(observer, f"the feedback form ({width})")
        shoot(observer, f"observation-feedback-{width}")
    for label, text in FEEDBACK.items():
        observer.get_by_label(label).fill(text)
    shoot(observer, "observation-feedback-filled-phone")
    observer.get_by_role("button", name="Save the feedback").click()
    expect(observer.get_by_text("Mo Rahman can read it now.")).to_be_visible()
    observer.goto(meeting.get_absolute_url())
    expect(observer.locator("section.observed-practice")).to_contain_text(
        "Observed practice: Fran Okafor observes Mo Rahman's chairing"
    )
    check(observer, "the meeting page with its observed practice")
    shoot(observer, "observation-meeting-phone")

    trainee.goto("/observations/")
    trainee.get_by_role("link", name=f"{meeting.set.name}, meeting {meeting.number}").click()
    expect(
        trainee.get_by_role("heading", name="Fran Okafor's feedback on your chairing")
    ).to_be_visible()
    for width, viewport in WIDTHS.items():
        trainee.set_viewport_size(viewport)
        trainee.reload()
        for text in FEEDBACK.values():
            expect(trainee.get_by_text(text)).to_be_visible()
        check(trainee, f"the trainee's feedback ({width})")
        shoot(trainee, f"observation-trainee-{width}")
    trainee.get_by_label("My set journal", exact=True).check()
    trainee.get_by_role("button", name="Add to my log").click()
    expect(trainee).to_have_url(re.compile(r"/journal/entries/\d+/edit/$"))
    body = trainee.get_by_label("Entry", exact=True)
    expect(body).to_have_value(re.compile("## What to try next"))
    expect(body).to_have_value(re.compile(re.escape(FEEDBACK["What to try next"])))
