"""A member's own answers: listed, changed, never anyone else's."""

from html import unescape

from django.urls import reverse

from revans.evaluation.models import ProgrammeQuestion, Response, Survey
from revans.meetings.testing import make_meeting

from .conftest import add_members, answer


def text(response) -> str:
    return unescape(response.content.decode())


def test_my_answers_lists_what_i_answered_with_its_words_and_my_comment(world):
    own = ProgrammeQuestion.objects.create(programme=world.programme, text="I lead change.")
    response = answer(world.mo_in_aurora, Survey.START, {"aware": 2, own.key: 4})
    Response.objects.filter(pk=response.pk).update(comment="Nervous about this")
    meeting = make_meeting(world.aurora, 1, days=-1, status="closed")
    answer(world.mo_in_aurora, Survey.PULSE, {"useful": 5}, meeting=meeting)
    page = text(world.client(world.mo).get(reverse("my_answers")))
    assert "I know what my own development challenges are." in page
    assert "2 of 5: A little" in page
    assert "I lead change." in page and "4 of 5: Agree" in page
    assert "Nervous about this" in page
    assert "Pulse: meeting 1" in page and "5 of 5: Extremely useful" in page
    assert reverse("survey", args=[world.aurora.pk, "start"]) + "?back=answers" in page


def test_nobody_else_sees_my_answers(world):
    answer(world.mo_in_aurora, Survey.START, {"aware": 2})
    Response.objects.filter(user=world.mo).update(comment="Only mine")
    for person in (world.fran, world.obi, world.pam, world.nia):
        page = text(world.client(person).get(reverse("my_answers")))
        assert "Only mine" not in page and "2 of 5" not in page
        assert "Nothing yet." in page


def test_what_i_put_off_can_be_answered_from_here(world):
    Response.objects.create(user=world.mo, set=world.aurora, survey=Survey.START, skipped=True)
    page = text(world.client(world.mo).get(reverse("my_answers")))
    assert "You chose “Not now”" in page and "Answer it now" in page


def test_my_answers_takes_the_same_queries_however_many(world, django_assert_num_queries):
    """Guards against N+1 queries as answers pile up."""
    client = world.client(world.mo)
    meetings = [make_meeting(world.aurora, n, days=-n, status="closed") for n in (1, 2, 3)]
    answer(world.mo_in_aurora, Survey.PULSE, {"useful": 3}, meeting=meetings[0])
    client.get(reverse("my_answers"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("my_answers"))
    for meeting in meetings[1:]:
        answer(world.mo_in_aurora, Survey.PULSE, {"useful": 4, "voice": 2}, meeting=meeting)
    answer(world.mo_in_aurora, Survey.START, {"aware": 4})
    other = add_members(world.beacon, 1)[0]
    Response.objects.create(user=other.user, set=world.beacon, survey=Survey.START)
    with django_assert_num_queries(len(one)):
        page = text(client.get(reverse("my_answers")))
    assert "Pulse: meeting 3" in page


def test_answers_in_a_set_i_left_stay_mine_to_read_not_to_change(world):
    answer(world.mo_in_aurora, Survey.START, {"aware": 2})
    world.mo_in_aurora.delete()
    page = text(world.client(world.mo).get(reverse("my_answers")))
    assert "2 of 5: A little" in page and "(you have left this set)" in page
    assert reverse("survey", args=[world.aurora.pk, "start"]) not in page
