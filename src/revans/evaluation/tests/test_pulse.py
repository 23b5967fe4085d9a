"""The pulse after a meeting: on its page, on the meeting page, in the room from the process
review on; a member answers for themselves, once per meeting."""

from html import unescape

import pytest
from django.urls import reverse

from revans.evaluation.models import Response, Survey
from revans.evaluation.offers import PULSE_CANCELLED, PULSE_NOT_YET
from revans.meetings.testing import make_meeting


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def held(world):
    return make_meeting(world.aurora, 1, days=-1, status="closed")


def test_a_member_answers_the_pulse_on_its_page(world, held):
    client = world.client(world.mo)
    page = text(client.get(reverse("pulse", args=[held.pk])))
    assert "How useful was today?" in page and "Could you say what you needed to say?" in page
    assert "Extremely useful" in page
    response = client.post(reverse("pulse", args=[held.pk]), {"useful": "4", "voice": "5"})
    assert response.status_code == 302 and response["Location"] == held.get_absolute_url()
    saved = Response.objects.get(survey=Survey.PULSE)
    assert (saved.meeting, saved.set, saved.user) == (held, world.aurora, world.mo)
    assert {a.question: a.value for a in saved.answers.all()} == {"useful": 4, "voice": 5}


def test_with_htmx_the_panel_comes_back_saying_thank_you(world, held):
    client = world.client(world.mo)
    response = client.post(
        reverse("pulse", args=[held.pk]), {"useful": "3", "back": "room"}, HTTP_HX_REQUEST="true"
    )
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert "Thank you: saved." in page
    assert 'data-room-phases="process_review summary closed"' in page and " hidden" not in page
    again = client.post(reverse("pulse", args=[held.pk]), {"useful": "5"}, HTTP_HX_REQUEST="true")
    assert "Your answers are updated." in text(again)
    assert Response.objects.get().answers.get().value == 5


@pytest.mark.parametrize("value", ["0", "6", "x"])
def test_a_pulse_off_the_scale_is_refused_and_nothing_saved(world, held, value):
    response = world.client(world.mo).post(
        reverse("pulse", args=[held.pk]), {"useful": value}, HTTP_HX_REQUEST="true"
    )
    assert "Choose a point from 1 to 5." in text(response)
    assert not Response.objects.exists()


def test_a_pulse_with_nothing_answered_is_refused(world, held):
    response = world.client(world.mo).post(reverse("pulse", args=[held.pk]), {})
    assert "Answer at least one question" in text(response)
    assert not Response.objects.exists()


def test_a_meeting_still_to_come_or_cancelled_has_no_pulse(world):
    later = make_meeting(world.aurora, 2, days=7)
    cancelled = make_meeting(world.aurora, 3, days=-7, status="cancelled")
    client = world.client(world.mo)
    assert PULSE_NOT_YET in text(client.post(reverse("pulse", args=[later.pk]), {"useful": "3"}))
    assert PULSE_CANCELLED in text(
        client.post(reverse("pulse", args=[cancelled.pk]), {"useful": "3"})
    )
    assert not Response.objects.exists()


@pytest.mark.parametrize("person", ["fran", "obi", "pam", "nia", "oli"])
def test_only_members_of_the_set_answer_its_pulse(world, held, person):
    client = world.client(getattr(world, person))
    assert client.get(reverse("pulse", args=[held.pk])).status_code == 404
    assert client.post(reverse("pulse", args=[held.pk]), {"useful": "3"}).status_code == 404
    assert client.post(reverse("pulse_skip", args=[held.pk])).status_code == 404
    assert not Response.objects.exists()


def test_not_now_is_remembered(world, held):
    client = world.client(world.mo)
    response = client.post(reverse("pulse_skip", args=[held.pk]), HTTP_HX_REQUEST="true")
    assert "Not now, then." in text(response)
    assert Response.objects.get().skipped
    page = text(client.get(world.aurora.get_absolute_url()))
    assert "How was meeting 1?" not in page


def test_the_meeting_page_shows_members_the_pulse_once_it_has_started(world, held):
    later = make_meeting(world.aurora, 2, days=7)
    mo = world.client(world.mo)
    assert "How useful was today?" in text(mo.get(held.get_absolute_url()))
    assert "How useful was today?" not in text(mo.get(later.get_absolute_url()))
    for person in (world.fran, world.obi, world.pam):
        page = text(world.client(person).get(held.get_absolute_url()))
        assert "How useful was today?" not in page


def test_the_room_carries_the_pulse_hidden_until_the_process_review(world):
    live = make_meeting(world.aurora, 1, days=0, status="live")
    page = text(world.client(world.mo).get(reverse("meeting_room", args=[live.pk])))
    assert 'data-room-phases="process_review summary closed" hidden' in page
    assert 'name="back" value="room"' in page
    facilitator = text(world.client(world.fran).get(reverse("meeting_room", args=[live.pk])))
    assert "data-room-phases" not in facilitator


def test_the_set_page_offers_the_latest_pulse(world, held):
    page = text(world.client(world.mo).get(world.aurora.get_absolute_url()))
    assert "How was meeting 1? One minute" in page
    world.client(world.mo).post(reverse("pulse", args=[held.pk]), {"useful": "4"})
    page = text(world.client(world.mo).get(world.aurora.get_absolute_url()))
    assert "How was meeting 1?" not in page


def test_the_summary_email_leads_to_the_pulse_on_the_meeting_page(world, held, mailoutbox):
    from revans.meetings.models import Meeting
    from revans.meetings.room.summary import send_summary

    Meeting.objects.filter(pk=held.pk).update(
        summary={"meeting": 1, "set": "Aurora", "attendance": [], "presenters": []}
    )
    send_summary(held.pk)
    [mail] = mailoutbox
    assert f"{held.get_absolute_url()}#pulse-{held.pk}" in mail.body
    page = text(world.client(world.mo).get(held.get_absolute_url()))
    assert f'id="pulse-{held.pk}"' in page
