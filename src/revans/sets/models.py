"""Sets, their members, their issues, ground rules and invitations.

Access is decided here and nowhere else: ``Set.objects.visible_to(user)`` gives the sets whose
dates and members a person may see (members, facilitators, observers and the managers of the
set's programme); ``<content>.objects.visible_to(user)`` gives set *content* (issues, ground
rules, …), which only the people in the set may see (architecture.md §4).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from revans.core.links.models import EmailLink, EmailLinkQuerySet

from .questions import Question, shipped

SIZE_MIN, SIZE_MAX = 6, 8  # the sizes sets work best at: outside them the set page warns

DEFAULT_GROUND_RULES = [
    "Confidentiality: what is said in the set stays in the set.",
    "Attendance: we come to every meeting, on time, and send apologies ahead if we cannot.",
    "Questions, not advice: we help by asking open questions, not by telling.",
    "We listen without interrupting.",
    "One conversation at a time.",
    "Each member brings a real issue they own and want to act on.",
    "Phones away and notifications off while the set meets.",
]


def sets_with_content_for(user) -> models.QuerySet:
    """Ids of the sets whose content ``user`` may read: the sets they belong to."""
    return Membership.objects.filter(user=user).values("set_id")


class SetQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SetQuerySet":
        """Sets whose dates and members ``user`` may see."""
        if not user.is_authenticated:
            return self.none()
        # Programmes sit above sets (architecture.md §6): reached through the relation.
        programmes = self.model._meta.get_field("programme").related_model
        managed = programmes.objects.filter(managers=user).values("pk")
        return self.filter(Q(pk__in=sets_with_content_for(user)) | Q(programme__in=managed))


class Set(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid"

    class Status(models.TextChoices):
        FORMING = "forming", "Forming"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="sets"
    )
    name = models.CharField(max_length=120)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(max_length=300, blank=True, help_text="Where the set meets in person.")
    video_link = models.URLField(
        "video link", blank=True, help_text="Zoom, Teams, Meet, Jitsi or any https link."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FORMING)
    peer_set = models.BooleanField(
        "facilitators' peer set",
        default=False,
        help_text=(
            "A set whose members are facilitators: its meetings count as supervision in "
            "their practice records."
        ),
    )
    self_facilitated = models.BooleanField(
        "self-facilitated",
        default=False,
        help_text="Members take the chair in turn; any member can manage the set.",
    )
    reminder_days = models.PositiveSmallIntegerField(
        "reminder (days before)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
        help_text="Members are e-mailed this many days before each meeting, and on the morning.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What was said in a closed set's meetings is kept for its programme's retention from
    # ``closed_at``, then purged (``programmes.retention``, architecture.md §4).
    closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the set closed; empty while open."
    )
    content_purged_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When what was said in its meetings was deleted, its retention over.",
    )

    objects = SetQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # ``closed_at`` follows the status however it changes (the set's form, the admin), so
        # retention always counts from the latest closing; a reopened set has none.
        closed = self.status == self.Status.CLOSED
        if closed != (self.closed_at is not None):
            self.closed_at = timezone.now() if closed else None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "closed_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("set_detail", args=[self.pk])

    @property
    def content_purged(self) -> bool:
        """What was said in its meetings is gone: purged since the set last closed (a set
        reopened after a purge holds new content, purged again after it closes again)."""
        return self.content_purged_at is not None and (
            self.closed_at is None or self.content_purged_at >= self.closed_at
        )

    def clean(self) -> None:
        if self.video_link and not self.video_link.startswith("https://"):
            raise ValidationError({"video_link": "Use a secure link that starts with https://."})
        if self.mode in (self.Mode.ONLINE, self.Mode.HYBRID) and not self.video_link:
            raise ValidationError({"video_link": "An online or hybrid set needs a video link."})
        if self.mode in (self.Mode.IN_PERSON, self.Mode.HYBRID) and not self.place.strip():
            raise ValidationError({"place": "Say where the set meets in person."})

    def size_range(self) -> tuple[int, int]:
        """The sizes the set should keep to: its programme's (``set_size_min``–``set_size_max``,
        read through the set's own field: sets sit below programmes), or SIZE_MIN–SIZE_MAX."""
        programme = self.programme if self.programme_id is not None else None
        if programme is None:
            return SIZE_MIN, SIZE_MAX
        return programme.set_size_min, programme.set_size_max

    def size_warning(self, member_count: int) -> str:
        """A warning when the set is outside its sizes (6–8, or its programme's); sizes are
        never refused."""
        low, high = self.size_range()
        programme = self.programme if self.programme_id is not None else None
        if programme is None:
            best = f"Sets work best with {low} to {high} members"
        else:
            best = f"{programme.name}'s sets have {low} to {high} members"
        if member_count < low:
            return f"This set has {member_count} member{'s' if member_count != 1 else ''}. {best}."
        if member_count > high:
            return (
                f"This set has {member_count} members. {best}: with more than {high}, "
                "there is little airtime for each; consider splitting it."
            )
        return ""


class Role(models.TextChoices):
    FACILITATOR = "facilitator", "Facilitator"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MembershipQuerySet":
        return self.filter(set__in=Set.objects.visible_to(user))


class Membership(models.Model):
    set = models.ForeignKey(Set, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["set", "user"], name="one_membership_per_person")
        ]
        ordering = ["role", "user__display_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.set}"


class MembershipChange(models.Model):
    """One change of who is in a set, kept for the set's facilitators (architecture.md §4): nobody
    joins a set's content without a trace. Names are copied, so the record outlives accounts."""

    class Kind(models.TextChoices):
        JOINED = "joined", "joined"
        ROLE = "role", "changed role"
        LEFT = "left", "left"
        REMOVED = "removed", "was removed"

    set = models.ForeignKey(Set, on_delete=models.CASCADE, related_name="membership_changes")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    role = models.CharField(max_length=16, choices=Role.choices)
    old_role = models.CharField(max_length=16, choices=Role.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(max_length=150, blank=True)
    how = models.CharField(max_length=40, blank=True, help_text="invitation, formation, …")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["set", "-at"])]

    def __str__(self) -> str:
        return self.sentence

    @property
    def sentence(self) -> str:
        """ "Pam Morgan joined as observer on 2 Dec, invited by Fran Okafor"."""
        when = date_format(timezone.localtime(self.at), "j M Y")
        role = Role(self.role).label.lower()
        if self.kind == self.Kind.JOINED:
            text = f"{self.person_name} joined as {role} on {when}"
            verb = {
                "invitation": "invited by",
                "formation": "placed by",
                "created": "created by",
                "request": "at their request, accepted by",
            }
            if self.by_name and self.by_name != self.person_name:
                text += f", {verb.get(self.how, 'added by')} {self.by_name}"
            elif self.how == "created":
                text += " (created the set)"
            return text
        if self.kind == self.Kind.ROLE:
            old = Role(self.old_role).label.lower() if self.old_role else "?"
            return f"{self.person_name} changed from {old} to {role} on {when}, by {self.by_name}"
        if self.kind == self.Kind.LEFT:
            return f"{self.person_name} left the set (was {role}) on {when}"
        return f"{self.person_name} was removed (was {role}) on {when}, by {self.by_name}"


class SetAccess:
    """What one person may do in one set, worked out once per request."""

    def __init__(self, set_: Set, user, membership: Membership | None, manages_programme: bool):
        self.set = set_
        self.user = user
        self.membership = membership
        self.manages_programme = manages_programme

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def in_set(self) -> bool:
        """Members, facilitators and observers: the people who may read set content."""
        return self.membership is not None

    @property
    def is_facilitator(self) -> bool:
        return self.role == Role.FACILITATOR

    @property
    def can_manage(self) -> bool:
        """May invite, remove and change roles, and edit the set's details."""
        if self.manages_programme or self.is_facilitator:
            return True
        return self.set.self_facilitated and self.role == Role.MEMBER

    @property
    def can_chair(self) -> bool:
        """Runs the set's meetings: drafts ground rules, records attendance (architecture.md §3)."""
        return self.is_facilitator or (self.set.self_facilitated and self.role == Role.MEMBER)


class ContentQuerySet(models.QuerySet):
    """Set content: only the people in the set see it (not programme managers)."""

    def visible_to(self, user) -> "ContentQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(set__in=sets_with_content_for(user))


class Issue(models.Model):
    """The real work problem a member brings and works on over the set's life: a work project
    they are responsible for, or how they operate. Each kind has its guiding questions
    (``questions.py``); the answers are kept by question key in ``answers``."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PROGRESSING = "progressing", "Making progress"
        RESOLVED = "resolved", "Resolved"
        SET_ASIDE = "set_aside", "Set aside"

    class Kind(models.TextChoices):
        PROJECT = "project", "A work project"
        OPERATING = "operating", "How I operate"

    set = models.ForeignKey(Set, on_delete=models.CASCADE, related_name="issues")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="issues"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PROJECT)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What is going on, in your own words.")
    why_it_matters = models.TextField(
        "why it matters to me", blank=True, help_text="What is at stake for you."
    )
    answers = models.JSONField(
        default=dict, blank=True, help_text="The guiding questions' answers, by question key."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("issue_detail", args=[self.set_id, self.pk])

    def guided_answers(self) -> list[tuple[Question, str]]:
        """The questions of the issue's kind that have an answer, in the kind's order."""
        kind = shipped().kind(self.kind)
        questions = kind.questions if kind else ()
        return [(q, self.answers[q.key]) for q in questions if self.answers.get(q.key)]

    def unanswered(self) -> list[Question]:
        """The kind's questions still asked and not yet answered."""
        kind = shipped().kind(self.kind)
        return [q for q in (kind.asked if kind else ()) if not self.answers.get(q.key)]

    def other_answers(self) -> list[tuple[Question, str]]:
        """Answers kept from another kind of issue (the kind was changed): not lost, shown
        apart."""
        kind = shipped().kind(self.kind)
        own = {q.key for q in kind.questions} if kind else set()
        kept = []
        for key, text in self.answers.items():
            question = shipped().issue_question(key)
            if question is not None and key not in own and text:
                kept.append((question, text))
        return kept

    def warnings(self) -> list[str]:
        """What the checks' answers say about whether the issue suits the set (guidance)."""
        return [c.warning for c in shipped().checks if self.answers.get(c.key) in c.warn]


class GroundRules(models.Model):
    """One version of a set's ground rules; a change makes a new version to agree to."""

    set = models.ForeignKey(Set, on_delete=models.CASCADE, related_name="ground_rules")
    version = models.PositiveIntegerField()
    rules = models.JSONField(default=list)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["set", "version"], name="one_ground_rules_version")
        ]
        ordering = ["set", "-version"]
        verbose_name_plural = "ground rules"

    def __str__(self) -> str:
        return f"Ground rules v{self.version} of {self.set}"


class GroundRulesAgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> "GroundRulesAgreementQuerySet":
        return self.filter(ground_rules__in=GroundRules.objects.visible_to(user))


class GroundRulesAgreement(models.Model):
    ground_rules = models.ForeignKey(
        GroundRules, on_delete=models.CASCADE, related_name="agreements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    objects = GroundRulesAgreementQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ground_rules", "user"], name="agree_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user} agreed to {self.ground_rules}"


class ExpectationsQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExpectationsQuerySet":
        """Expectations ``user`` may read: their own, and, for a facilitator of a set, its
        members' (architecture.md §4). Nobody else: not the other members, not a member who
        takes the chair of a self-facilitated set, not the programme's managers, even when
        they are in the set as observers."""
        if not user.is_authenticated:
            return self.none()
        facilitated = Membership.objects.filter(user=user, role=Role.FACILITATOR).values("set_id")
        return self.filter(Q(user=user) | Q(set__in=facilitated))


class Expectations(models.Model):
    """A member's answers, before the first meeting, to what they hope for from the set and
    what worries them (``questions.py``: the questions, by key in ``answers``)."""

    set = models.ForeignKey(Set, on_delete=models.CASCADE, related_name="expectations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expectations"
    )
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExpectationsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["set", "user"], name="one_expectations_per_member")
        ]
        verbose_name_plural = "expectations"

    def __str__(self) -> str:
        return f"{self.user}'s expectations of {self.set}"

    def answered(self) -> list[tuple[Question, str]]:
        """Each question answered, retired ones too, in the questionnaire's order."""
        return [(q, self.answers[q.key]) for q in shipped().expectations if self.answers.get(q.key)]


class Invitation(EmailLink):
    """An e-mailed invitation to join a set (architecture.md §6: one flow for every e-mailed
    link); accepted by ``services.do_accept_invitation``."""

    words = "sets/links/invitation.html"
    accept_url_name = "invitation_accept"
    accepter = "accepted_by"

    set = models.ForeignKey(Set, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EmailLinkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.set}"

    def opens(self) -> Set:
        return self.set
