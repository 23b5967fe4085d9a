"""What changes surveys and pulses: each function does one whole change, in one transaction.

Answering twice updates the person's one response (the unique constraints of ``Response`` keep
it one); an answer off the scale, or to a question the survey does not ask, is refused with a
message and nothing is saved.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from revans.meetings.models import Meeting
from revans.programmes.models import Programme
from revans.sets.models import Membership, Role

from . import offers
from .models import COMMENT_MAX, TEXT_MAX, Answer, ProgrammeQuestion, Response, Survey
from .questions import SCALE, Question, shipped

AnswerValue = int | str | None

NOTHING_ANSWERED = "Answer at least one question, or choose “Not now”."
NOT_A_MEMBER = "Only the set's members answer its surveys."


def questions_for(survey: str, programme: Programme | None) -> tuple[Question, ...]:
    """The questions of ``survey`` in order: the shipped ones, then the programme's own (start
    and end), then, at the end, the questions about the set as a whole."""
    data = shipped()
    if survey == Survey.PULSE:
        return data.pulse
    own: tuple[Question, ...] = ()
    if programme is not None:
        own = tuple(q.as_question() for q in ProgrammeQuestion.objects.filter(programme=programme))
    if survey == Survey.START:
        return data.self_assessment + own
    return data.self_assessment + own + data.ending


def clean_answers(
    questions: tuple[Question, ...], answers: Mapping[str, AnswerValue]
) -> dict[str, AnswerValue]:
    """The answers given, checked against the questions: a scale answer a whole number from 1
    to 5, words within their length; blanks left out. Raises ValidationError with a message for
    the person otherwise."""
    by_key = {q.key: q for q in questions}
    unknown = sorted(set(answers) - set(by_key))
    if unknown:
        raise ValidationError("This survey does not ask that question; reload the page.")
    cleaned: dict[str, AnswerValue] = {}
    for key, value in answers.items():
        question = by_key[key]
        if value is None or value == "":
            continue
        if question.is_scale:
            if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
                raise ValidationError(
                    f"“{question.text}”: choose a point from {SCALE[0]} to {SCALE[-1]}."
                )
        elif not isinstance(value, str) or len(value) > TEXT_MAX:
            raise ValidationError(f"“{question.text}”: keep it under {TEXT_MAX} characters.")
        elif not value.strip():
            continue
        cleaned[key] = value.strip() if isinstance(value, str) else value
    return cleaned


def _check_member(membership: Membership) -> None:
    if membership.role != Role.MEMBER:
        raise ValidationError(NOT_A_MEMBER)


def _save(
    response: Response, answers: dict[str, AnswerValue], comment: str, share_theme: bool
) -> None:
    response.skipped = False
    response.comment = comment
    response.share_theme = share_theme
    response.save()
    response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=key,
            value=value if isinstance(value, int) else None,
            text=value if isinstance(value, str) else "",
        )
        for key, value in answers.items()
    )


@transaction.atomic
def do_answer_survey(
    membership: Membership,
    survey: str,
    answers: Mapping[str, AnswerValue],
    *,
    comment: str = "",
    share_theme: bool = False,
) -> tuple[Response, bool]:
    """Saves a member's start or end survey; (the response, whether it is new). Answering again
    replaces the earlier answers."""
    _check_member(membership)
    set_ = membership.set
    if survey not in (Survey.START, Survey.END):
        raise ValidationError("No such survey.")
    refusal = offers.start_refusal(set_) if survey == Survey.START else offers.end_refusal(set_)
    if refusal:
        raise ValidationError(refusal)
    cleaned = clean_answers(questions_for(survey, set_.programme), answers)
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(f"Keep the comment under {COMMENT_MAX} characters.")
    if not cleaned and not comment:
        raise ValidationError(NOTHING_ANSWERED)
    response, created = Response.objects.select_for_update().get_or_create(
        user_id=membership.user_id, set_id=set_.pk, survey=survey, meeting=None
    )
    # Only someone who wrote what they valued can agree to share it.
    _save(response, cleaned, comment, share_theme and "value_most" in cleaned)
    return response, created


@transaction.atomic
def do_answer_pulse(
    membership: Membership, meeting: Meeting, answers: Mapping[str, AnswerValue]
) -> tuple[Response, bool]:
    """Saves a member's pulse for one meeting of their set; answering again replaces it."""
    _check_member(membership)
    if meeting.set_id != membership.set_id:
        raise ValidationError(NOT_A_MEMBER)
    refusal = offers.pulse_refusal(meeting)
    if refusal:
        raise ValidationError(refusal)
    cleaned = clean_answers(questions_for(Survey.PULSE, None), answers)
    if not cleaned:
        raise ValidationError(NOTHING_ANSWERED)
    response, created = Response.objects.select_for_update().get_or_create(
        user_id=membership.user_id,
        meeting=meeting,
        defaults={"set_id": meeting.set_id, "survey": Survey.PULSE},
    )
    _save(response, cleaned, "", False)
    return response, created


@transaction.atomic
def do_skip(membership: Membership, survey: str, meeting: Meeting | None = None) -> Response:
    """Remembers a "Not now": the survey stops waiting on the pages. Answers already given
    stay as they are."""
    _check_member(membership)
    if survey not in Survey.values or (survey == Survey.PULSE) != (meeting is not None):
        raise ValidationError("No such survey.")
    if meeting is not None and meeting.set_id != membership.set_id:
        raise ValidationError(NOT_A_MEMBER)
    if meeting is not None:
        response, _ = Response.objects.select_for_update().get_or_create(
            user_id=membership.user_id,
            meeting=meeting,
            defaults={"set_id": membership.set_id, "survey": survey, "skipped": True},
        )
    else:
        response, _ = Response.objects.select_for_update().get_or_create(
            user_id=membership.user_id,
            set_id=membership.set_id,
            survey=survey,
            meeting=None,
            defaults={"skipped": True},
        )
    return response


@transaction.atomic
def do_add_programme_question(programme: Programme, text: str, kind: str) -> ProgrammeQuestion:
    """Adds a question to the programme's start and end surveys, after the others."""
    text = text.strip()
    if not text:
        raise ValidationError("Write the question.")
    if kind not in ProgrammeQuestion.Kind.values:
        raise ValidationError("Choose a scale or free text.")
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    last = ProgrammeQuestion.objects.filter(programme=programme).aggregate(last=Max("position"))
    return ProgrammeQuestion.objects.create(
        programme=programme, text=text, kind=kind, position=(last["last"] or 0) + 1
    )


ANSWERED_STAYS = (
    "People have answered this question, so it stays: their answers keep their meaning."
)


@transaction.atomic
def do_delete_programme_question(question: ProgrammeQuestion) -> None:
    """Removes a programme's question nobody has answered yet."""
    if Answer.objects.filter(
        question=question.key, response__set__programme_id=question.programme_id
    ).exists():
        raise ValidationError(ANSWERED_STAYS)
    question.delete()
