"""Meetings: formats (the phases of a meeting), a set's dated meetings, attendance and apologies.

Meetings are set *dates*: the people in the set and the managers of its programme see them
(``Meeting.objects.visible_to``). What is said in them is set content: only the people in the set
see it (``Meeting.objects.with_content_for``). Apology notes are words said to the set: only the
people in the set read them.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from revans.sets.models import Membership, Role, Set, sets_with_content_for

MAX_DURATION = 8 * 60  # minutes: a half-day set with a long lunch

PHASE_NAMES = {
    "check_in": "Check-in",
    "report_back": "Report-back",
    "bidding": "Bidding for airtime",
    "airtime": "Airtime (each presenter)",
    "how_it_works": "How action learning works",
    "practice": "A practice round on a sample problem",
    "ground_rules": "Developing our ground rules",
    "dates": "Choosing the next dates",
    "process_review": "Process review",
    "summary": "Summary",
}
STAGE_NAMES = {
    "present": "Present",
    "questions": "Questions",
    "actions": "Actions",
    "reflection": "Reflection",
}


class MeetingFormatQuerySet(models.QuerySet["MeetingFormat"]):
    def shipped(self) -> "MeetingFormatQuerySet":
        return self.filter(set__isnull=True)

    def for_set(self, set_: Set) -> "MeetingFormatQuerySet":
        """The formats a set can use: Revans's own and the set's copies."""
        return self.filter(models.Q(set__isnull=True) | models.Q(set=set_))


class MeetingFormat(models.Model):
    """A meeting's phases and their planned minutes (architecture.md §3); the live room runs from it."""

    slug = models.SlugField(max_length=40, blank=True)
    set = models.ForeignKey(
        Set, null=True, blank=True, on_delete=models.CASCADE, related_name="meeting_formats"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    presenters = models.PositiveSmallIntegerField(default=1)
    phases = models.JSONField(default=list)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MeetingFormatQuerySet.as_manager()

    class Meta:
        ordering = ["set_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(set__isnull=True),
                name="one_shipped_format_per_slug",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_minutes(self) -> int:
        """Planned length: airtime counts once per presenter."""
        return sum(
            phase["minutes"] * (self.presenters if phase["kind"] == "airtime" else 1)
            for phase in self.phases
        )

    def phase_rows(self) -> list[dict]:
        return [
            {
                **phase,
                "name": PHASE_NAMES.get(phase["kind"], phase["kind"]),
                "stage_rows": [
                    (STAGE_NAMES.get(k, k), v) for k, v in phase.get("stages", {}).items()
                ],
            }
            for phase in self.phases
        ]


def run_without(user) -> Q:
    """The meetings the sets ``user`` facilitates run themselves: a self-facilitated set's, or
    one beyond its facilitated meetings (as a condition on meetings, to combine with others)."""
    facilitates = Membership.objects.filter(user=user, role=Role.FACILITATOR).values("set_id")
    return Q(set__in=facilitates) & (Q(facilitated=False) | Q(set__self_facilitated=True))


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user) -> "MeetingQuerySet":
        """Meetings are set dates: people in the set and the programme's managers see them."""
        return self.filter(set__in=Set.objects.visible_to(user))

    def with_content_for(self, user) -> "MeetingQuerySet":
        """Meetings whose content ``user`` may see: those of the sets they are in (members,
        facilitators, observers), never those a programme's manager only manages (architecture.md §4)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(set__in=sets_with_content_for(user))

    def attended_by(self, user) -> "MeetingQuerySet":
        """Without the meetings a set runs itself (``Meeting.self_facilitated``) among those of
        the sets ``user`` facilitates: the facilitator does not come to those, so they are not
        on her list of meetings to come, to reflect on or to be reminded of."""
        return self.exclude(run_without(user))

    def not_over(self) -> "MeetingQuerySet":
        """Meetings not yet over (callers check ``ends_at`` for the ones under way)."""
        return self.filter(
            status__in=[Meeting.Status.SCHEDULED, Meeting.Status.LIVE],
            starts_at__gt=timezone.now() - timedelta(minutes=MAX_DURATION),
        )


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        LIVE = "live", "Live"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    set = models.ForeignKey(Set, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    time_zone = models.CharField(
        max_length=64,
        help_text="The zone the meeting was planned in: it keeps its wall-clock time.",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(MAX_DURATION)]
    )
    place = models.CharField(max_length=300, blank=True)
    video_link = models.URLField(blank=True)
    format = models.ForeignKey(MeetingFormat, on_delete=models.PROTECT, related_name="meetings")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    facilitated = models.BooleanField(
        default=True,
        help_text=(
            "A facilitator runs this meeting; otherwise the set runs it itself (a set in a "
            "programme may be facilitated for an agreed number of its meetings)."
        ),
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, help_text="Raised at every change calendars must pick up (RFC 5545 SEQUENCE)."
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    morning_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(null=True, blank=True, help_text="Made when the meeting closes.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.set} – meeting {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_first(self) -> bool:
        """Meeting 1 is the taster, where the set agrees its ground rules."""
        return self.number == 1

    @property
    def self_facilitated(self) -> bool:
        """The set runs this meeting itself: a self-facilitated set, or a meeting beyond its
        facilitated ones. Any member may then take the chair, as in a self-facilitated set."""
        return self.set.self_facilitated or not self.facilitated

    @property
    def facilitation(self) -> str:
        """Who runs the meeting, in the words every page and calendar entry uses."""
        return "Self-facilitated" if self.self_facilitated else "Facilitated"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_overdue(self) -> bool:
        """Left open past its end and the grace period: shown as ended, and closed (with its
        summary) by the background sweep (``room.tasks.close_overdue_meetings``), not by
        whoever happens to open a page."""
        grace = timedelta(minutes=settings.ROOM_GRACE_MINUTES)
        return self.status in (self.Status.SCHEDULED, self.Status.LIVE) and (
            self.ends_at + grace < timezone.now()
        )

    @property
    def shown_status(self) -> str:
        """The status as people should read it: a meeting left open past its end has ended."""
        return "Ended" if self.is_overdue else self.get_status_display()

    def membership_of(self, user) -> Membership | None:
        """``user``'s place in this meeting's set: what lets them see its content, as
        ``Meeting.objects.with_content_for`` says for many meetings; None for anyone else."""
        if not user.is_authenticated:
            return None
        return Membership.objects.filter(set_id=self.set_id, user=user).first()

    def clean(self) -> None:
        if self.video_link and not self.video_link.startswith("https://"):
            raise ValidationError({"video_link": "Use a secure link that starts with https://."})


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def visible_to(self, user) -> "AttendanceQuerySet":
        """Attendance is seen with the dates (programme managers follow it); notes are not."""
        return self.filter(meeting__in=Meeting.objects.visible_to(user))


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices)
    note = models.CharField(
        "note", max_length=500, blank=True, help_text="Optional; the people in the set see it."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()} at {self.meeting}"


class Room(models.Model):
    """The live state of a meeting (authoritative): where it is, who chairs, the shared timer.

    Every change is written with a ``RoomEvent`` carrying the next ``seq``, in one transaction.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, primary_key=True)
    stage = models.CharField(max_length=80, default="check_in")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    seq = models.PositiveIntegerField(default=0)
    presenters = models.JSONField(default=list, help_text="User ids in airtime order.")
    presenter_minutes = models.PositiveSmallIntegerField(default=0)
    capture_questions = models.BooleanField(default=False)
    timer_seconds = models.PositiveIntegerField(default=0)
    timer_elapsed = models.FloatField(default=0)
    timer_started_at = models.DateTimeField(null=True, blank=True)
    stage_elapsed = models.JSONField(
        default=dict, help_text="Seconds spent in each stage left, so that Back resumes its clock."
    )
    scenario = models.SlugField(
        max_length=80, blank=True, help_text="A taster's practice round: its sample problem."
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Room of {self.meeting}"


class RoomPresence(models.Model):
    """One open room socket: who is connected now. A row goes when its socket closes; one
    whose socket died with its server is ignored once ``seen_at`` is stale."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["meeting", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.meeting}"


class RoomEvent(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="room_events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seq"], name="one_event_per_seq"),
            models.UniqueConstraint(
                fields=["meeting", "actor", "client_id"],
                condition=~models.Q(client_id=""),
                name="apply_a_message_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.seq} {self.kind}"


class Bid(models.Model):
    """A member's bid for airtime, with a one-line headline of their issue."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bids")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    headline = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_bid_each")]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.headline


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "QuestionQuerySet":
        """Questions are set content: only the people in the meeting's set read them, never
        the programme's managers (they get aggregates, ``revans.meetings.insight``)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(meeting__set__in=sets_with_content_for(user))


class Question(models.Model):
    """A question asked during a presenter's airtime; the presenter may mark it powerful."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=500)
    powerful = models.BooleanField(default=False)
    label = models.CharField(
        max_length=16,
        blank=True,
        help_text="The coach's label; never shown beside the asker's name.",
    )
    open_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text


class ReviewNote(models.Model):
    """Process review: anyone's short note, or (``change``) what the set will do differently."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="review_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=500)
    change = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text


class RuleProposal(models.Model):
    """A ground rule proposed in a taster meeting's room (architecture.md §3): anyone proposes
    one, the set discusses it and the chair records whether the set keeps or drops it; the kept
    rules become the set's ground rules, which each member then agrees to."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        KEPT = "kept", "Kept"
        DROPPED = "dropped", "Dropped"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rule_proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class PracticeQuestion(models.Model):
    """A question asked in a taster meeting's practice round, about a shipped sample problem
    (``revans.coach.scenarios``): labelled by the coach, never counted with the set's real
    questions."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="practice_questions"
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    scenario = models.SlugField(max_length=80)
    text = models.CharField(max_length=500)
    label = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class Technique(models.Model):
    """A structured canvas (force-field analysis, five whys, …) opened during a presenter's
    airtime and edited by everyone in the room through its events (``room/techniques.py``);
    saved with the airtime, set content like its questions."""

    class Kind(models.TextChoices):
        FORCE_FIELD = "force_field", "Force-field analysis"
        FIVE_WHYS = "five_whys", "Five whys"
        OPTIONS_MATRIX = "options_matrix", "Options appraisal (weighted matrix)"
        FISHBONE = "fishbone", "Fishbone (cause and effect)"
        SWOT = "swot", "SWOT"
        STAKEHOLDER_MAP = "stakeholder_map", "Stakeholder map"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="techniques")
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    data = models.JSONField(default=dict)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The room event that last changed it: the newest change is the one an event carries.
    seq = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "presenter", "kind"], name="one_technique_of_a_kind_per_airtime"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.meeting}"
