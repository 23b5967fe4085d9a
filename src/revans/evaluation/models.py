"""Surveys and pulses (architecture.md §2): a person's answers to the start and end
self-assessment of a set, and to the pulse after each meeting, and the questions a programme's
managers add to the surveys.

Answers are their author's own (architecture.md §4): ``Response.objects.own(user)`` is the only
way a page reads them. Facilitators and managers see aggregates of five or more people, computed
in one place, ``revans.evaluation.figures``, and never a person's answers.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q

from revans.accounts.models import User
from revans.meetings.models import Meeting
from revans.programmes.models import Programme
from revans.sets.models import Set

from .questions import SCALE, SCALE_KIND, TEXT_KIND, Question, shipped

COMMENT_MAX = 2000
TEXT_MAX = 2000


class Survey(models.TextChoices):
    START = "start", "Start survey"
    END = "end", "End survey"
    PULSE = "pulse", "Pulse"


class ProgrammeQuestionQuerySet(models.QuerySet["ProgrammeQuestion"]):
    def visible_to(self, user: object) -> "ProgrammeQuestionQuerySet":
        """The questions of the programmes ``user`` manages (the people answering see them only
        inside their survey)."""
        return self.filter(programme__in=Programme.objects.visible_to(user))


class ProgrammeQuestion(models.Model):
    """A question a programme's managers add to its start and end surveys, after the shipped
    ones. A scale question is asked at the start and the end, so its change is reported too."""

    class Kind(models.TextChoices):
        SCALE = SCALE_KIND, "A scale from 1 to 5 (strongly disagree to strongly agree)"
        TEXT = TEXT_KIND, "Free text (each person sees only their own)"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="survey_questions"
    )
    text = models.CharField("question", max_length=300)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SCALE)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def key(self) -> str:
        return f"programme-{self.pk}"

    def as_question(self) -> Question:
        scale = self.kind == SCALE_KIND
        return Question(
            key=self.key,
            text=self.text,
            kind=self.kind,
            anchors=shipped().programme_anchors if scale else (),
            benefit=scale,
        )


class ResponseQuerySet(models.QuerySet["Response"]):
    def own(self, user: "User | AnonymousUser") -> "ResponseQuerySet":
        """The responses ``user`` gave: the only ones any page shows (architecture.md §4)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def answered(self) -> "ResponseQuerySet":
        return self.filter(skipped=False)


class Response(models.Model):
    """One person's answers to one survey: the start or end survey of a set they are a member
    of, or the pulse of one of its meetings. ``skipped`` remembers a "Not now"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    set = models.ForeignKey(Set, on_delete=models.CASCADE, related_name="survey_responses")
    survey = models.CharField(max_length=8, choices=Survey.choices)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="pulses"
    )
    skipped = models.BooleanField(default=False)
    comment = models.TextField(
        "private comment", max_length=COMMENT_MAX, blank=True, help_text="Only you ever see this."
    )
    share_theme = models.BooleanField(
        default=False,
        help_text="What they valued most may be shown, unattributed, as a theme to the "
        "programme's managers.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "set", "survey"],
                condition=Q(meeting__isnull=True),
                name="one_survey_response_per_person",
            ),
            models.UniqueConstraint(
                fields=["user", "meeting"],
                condition=Q(meeting__isnull=False),
                name="one_pulse_per_person_and_meeting",
            ),
            models.CheckConstraint(
                condition=(Q(survey=Survey.PULSE) & Q(meeting__isnull=False))
                | (~Q(survey=Survey.PULSE) & Q(meeting__isnull=True)),
                name="a_pulse_and_only_a_pulse_has_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_survey_display()} of {self.user} in {self.set}"


class Answer(models.Model):
    """One answer: a point on a 1–5 scale, or words."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=40, help_text="The question's key.")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_each"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=SCALE[0], value__lte=SCALE[-1]),
                name="answers_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value if self.value is not None else self.text[:40]}"
