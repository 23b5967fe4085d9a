"""The do_* writes on their own: one response per person and survey, answers replaced whole,
and every refusal leaves nothing behind."""

import pytest
from django.core.exceptions import ValidationError

from revans.evaluation import services
from revans.evaluation.models import COMMENT_MAX, TEXT_MAX, Answer, Response, Survey
from revans.meetings.testing import make_meeting
from revans.sets.models import Membership, Set


def test_answering_twice_keeps_one_response_and_replaces_its_answers(world):
    mo = world.mo_in_aurora
    first, created = services.do_answer_survey(mo, Survey.START, {"aware": 2, "safety": 3})
    again, created_again = services.do_answer_survey(mo, Survey.START, {"aware": 4})
    assert created and not created_again and first.pk == again.pk
    assert list(Answer.objects.values_list("question", "value")) == [("aware", 4)]


def test_a_pulse_for_a_meeting_of_another_set_is_refused(world):
    other = make_meeting(world.beacon, 1, days=-1, status="closed")
    with pytest.raises(ValidationError):
        services.do_answer_pulse(world.mo_in_aurora, other, {"useful": 3})
    with pytest.raises(ValidationError):
        services.do_skip(world.mo_in_aurora, Survey.PULSE, other)
    assert not Response.objects.exists()


def test_a_pulse_is_one_per_person_and_meeting(world):
    held = make_meeting(world.aurora, 1, days=-1, status="closed")
    services.do_skip(world.mo_in_aurora, Survey.PULSE, held)
    response, created = services.do_answer_pulse(world.mo_in_aurora, held, {"voice": 2})
    assert not created and not response.skipped
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("survey", "meeting"), [(Survey.PULSE, None), (Survey.START, "meeting"), ("middle", None)]
)
def test_a_skip_that_does_not_name_a_survey_is_refused(world, survey, meeting):
    held = make_meeting(world.aurora, 1, days=-1) if meeting else None
    with pytest.raises(ValidationError):
        services.do_skip(world.mo_in_aurora, survey, held)
    assert not Response.objects.exists()


def test_words_past_their_limit_are_refused(world):
    Set.objects.filter(pk=world.aurora.pk).update(status=Set.Status.CLOSED)
    mo = Membership.objects.select_related("set").get(pk=world.mo_in_aurora.pk)
    with pytest.raises(ValidationError):
        services.do_answer_survey(mo, Survey.END, {"value_most": "x" * (TEXT_MAX + 1)})
    with pytest.raises(ValidationError):
        services.do_answer_survey(mo, Survey.START, {"aware": 3}, comment="x" * (COMMENT_MAX + 1))
    assert not Response.objects.exists()


def test_a_comment_alone_is_an_answer(world):
    response, _ = services.do_answer_survey(world.mo_in_aurora, Survey.START, {}, comment="Hm")
    assert response.comment == "Hm" and not response.answers.exists()


def test_an_unknown_survey_is_refused(world):
    with pytest.raises(ValidationError):
        services.do_answer_survey(world.mo_in_aurora, Survey.PULSE, {"useful": 3})
    assert not Response.objects.exists()
