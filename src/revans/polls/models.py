"""Date polls: a set finds its next meeting's date. Someone in the set proposes times (slots),
the people in the set answer each one yes, if need be or no, and whoever chairs the set (or
the poll's proposer) chooses one, which becomes a meeting of the set.

Polls, their slots and answers are set content: only the people in the set see them
(``visible_to``), never a programme's manager who is not in the set (architecture.md §4).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import MAX_DURATION, Meeting, MeetingFormat
from revans.sets.models import Set, sets_with_content_for

MAX_SLOTS = 20  # a poll with more times than this is a calendar, not a choice


class PollQuerySet(models.QuerySet["Poll"]):
    def visible_to(self, user) -> "PollQuerySet":
        """The polls of the sets ``user`` is in (members, facilitators, observers)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(set__in=sets_with_content_for(user))

    def open(self) -> "PollQuerySet":
        return self.filter(status=Poll.Status.OPEN)

    def current(self) -> "PollQuerySet":
        """Open polls with a time still to come: one whose times have all passed asks nothing
        more of anyone (it stays open, and readable, until someone closes it)."""
        ahead = Slot.objects.filter(poll=OuterRef("pk"), starts_at__gt=timezone.now())
        return self.open().filter(Exists(ahead))


class Poll(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CHOSEN = "chosen", "Date chosen"
        CLOSED = "closed", "Closed without a date"

    set = models.ForeignKey(Set, on_delete=models.CASCADE, related_name="polls")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=120, default="Our next meeting")
    note = models.TextField(blank=True, max_length=1000)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(MAX_DURATION)]
    )
    format = models.ForeignKey(MeetingFormat, on_delete=models.PROTECT, related_name="+")
    time_zone = models.CharField(
        max_length=64,
        help_text="The proposer's zone: the meeting chosen keeps its wall-clock time.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    chosen_slot = models.ForeignKey(
        "Slot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PollQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["set", "status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.set})"

    def get_absolute_url(self) -> str:
        return reverse("poll_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class SlotQuerySet(models.QuerySet["Slot"]):
    def visible_to(self, user) -> "SlotQuerySet":
        return self.filter(poll__in=Poll.objects.visible_to(user))


class Slot(models.Model):
    """One proposed time; it lasts the poll's ``duration_minutes``."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="one_slot_per_time")
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M %Z} in {self.poll}"


class AnswerQuerySet(models.QuerySet["Answer"]):
    def visible_to(self, user) -> "AnswerQuerySet":
        return self.filter(slot__poll__in=Poll.objects.visible_to(user))


class Answer(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", "Yes"
        IF_NEED_BE = "if_need_be", "If need be"
        NO = "no", "No"

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_answers"
    )
    choice = models.CharField(max_length=16, choices=Choice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "user"], name="one_answer_per_slot_and_person")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.choice} for {self.slot}"
