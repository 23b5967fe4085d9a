"""The writes of a facilitators' programme (architecture.md §6): ``do_*`` functions, one
transaction each. Who may call them is decided by the views through ``access.py``; the rules
that hold whoever calls (evidence is the trainee's own, an outcome is signed off once, an outcome
with evidence stays) are kept here."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime

from revans.accounts.models import User
from revans.audit.models import Action
from revans.audit.services import record
from revans.journal.models import Entry
from revans.programmes.models import Programme
from revans.sets.models import Role, Set

from .models import (
    DayAttendance,
    Evidence,
    Observation,
    Outcome,
    Participant,
    SignOff,
    TrainingDay,
)


def own_entries(user: User) -> "QuerySet[Entry]":
    """The log entries ``user`` may show as evidence: their own, never a draft."""
    return Entry.objects.owned_by(user).filter(draft=False)


def own_observations(user: User) -> "QuerySet[Observation]":
    """Observations of ``user``'s practice."""
    return Observation.objects.filter(trainee=user)


def own_sets(user: User) -> "QuerySet[Set]":
    """The sets ``user`` facilitates."""
    return Set.objects.filter(memberships__user=user, memberships__role=Role.FACILITATOR)


# Training days


def do_save_training_day(
    programme: Programme,
    *,
    title: str,
    starts_at: datetime,
    hours: Decimal,
    place: str = "",
    video_link: str = "",
    day: TrainingDay | None = None,
) -> TrainingDay:
    """Adds a training day to ``programme``, or changes ``day``."""
    with transaction.atomic():
        day = day or TrainingDay(programme=programme)
        day.title, day.starts_at, day.hours = title, starts_at, hours
        day.place, day.video_link = place, video_link
        day.full_clean()
        day.save()
        return day


def do_delete_training_day(day: TrainingDay) -> None:
    with transaction.atomic():
        day.delete()


def do_record_day_attendance(day: TrainingDay, statuses: dict[int, str]) -> None:
    """Present / apologies / absent for each trainee (by user id); anyone not named keeps what
    was recorded. Only the programme's trainees are recorded."""
    with transaction.atomic():
        trainees = set(
            Participant.objects.filter(
                programme_id=day.programme_id, role=Participant.Role.TRAINEE
            ).values_list("user_id", flat=True)
        )
        existing = {a.user_id: a for a in DayAttendance.objects.filter(day=day)}
        for user_id, status in statuses.items():
            if user_id not in trainees or status not in DayAttendance.Status.values:
                continue
            row = existing.get(user_id)
            if row is None:
                DayAttendance.objects.create(day=day, user_id=user_id, status=status)
            elif row.status != status:
                row.status = status
                row.save(update_fields=["status", "recorded_at"])


# People


def _refuse_a_manager_as_trainer(programme: Programme, user: User, role: str) -> None:
    """Trainers read the evidence trainees attach from their logs, which a programme's managers
    never see: no manager becomes a trainer of her own programme by her own or another
    manager's hand (as no manager joins a set's content by a manager's invitation)."""
    if role == Participant.Role.TRAINER and programme.managers.filter(pk=user.pk).exists():
        raise ValidationError(
            f"{user.display_name} manages this programme, so cannot be one of its trainers: "
            "trainers read the evidence trainees attach from their logs, and managers never do."
        )


def do_add_participant(
    programme: Programme, user: User, role: str, by: User | None = None
) -> Participant:
    """Makes ``user`` a trainee or trainer of ``programme``; refused if they are in it already,
    or if a manager of the programme would become its trainer. ``by``: who did it, for the
    audit log."""
    if role not in Participant.Role.values:
        raise ValidationError("Choose trainee or trainer.")
    _refuse_a_manager_as_trainer(programme, user, role)
    try:
        with transaction.atomic():
            added = Participant.objects.create(programme=programme, user=user, role=role)
            record(by, Action.PARTICIPANT_ADDED, programme, person=user.pk, role=role)
            return added
    except IntegrityError:
        place = Participant.objects.filter(programme=programme, user=user).first()
        what = place.get_role_display().lower() if place else "participant"
        raise ValidationError(
            f"{user.display_name} is already a {what} of this programme."
        ) from None


def do_change_role(participant: Participant, role: str, by: User | None = None) -> Participant:
    if role not in Participant.Role.values:
        raise ValidationError("Choose trainee or trainer.")
    _refuse_a_manager_as_trainer(participant.programme, participant.user, role)
    with transaction.atomic():
        old_role = participant.role
        participant.role = role
        participant.save(update_fields=["role"])
        if old_role != role:
            record(
                by,
                Action.PARTICIPANT_ROLE,
                ("programmes.programme", participant.programme_id),
                person=participant.user_id,
                role=role,
                old_role=old_role,
            )
        return participant


def do_remove_participant(participant: Participant, by: User | None = None) -> None:
    """Takes a person out of the programme. Their evidence and sign-offs stay, so putting them
    back restores where they stood."""
    with transaction.atomic():
        record(
            by,
            Action.PARTICIPANT_REMOVED,
            ("programmes.programme", participant.programme_id),
            person=participant.user_id,
            role=participant.role,
        )
        participant.delete()


# Outcomes


def do_add_outcome(programme: Programme, text: str) -> Outcome:
    """A new outcome after the last one."""
    with transaction.atomic():
        # Lock the programme's row so two managers adding at once take numbers one by one.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        last = programme.outcomes.aggregate(last=Max("number"))["last"] or 0
        return Outcome.objects.create(programme=programme, number=last + 1, text=text)


def do_edit_outcome(outcome: Outcome, text: str) -> Outcome:
    with transaction.atomic():
        outcome.text = text
        outcome.save(update_fields=["text"])
        return outcome


def do_delete_outcome(outcome: Outcome) -> None:
    """Deletes an outcome nobody has shown evidence for nor been signed off on, and numbers the
    ones after it down, so the outcomes stay numbered 1 to n."""
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=outcome.programme_id).first()
        if outcome.evidence.exists() or outcome.sign_offs.exists():
            raise ValidationError(
                f"Outcome {outcome.number} has evidence or a sign-off, so it stays: "
                "change its words instead."
            )
        programme_id, number = outcome.programme_id, outcome.number
        outcome.delete()
        # One at a time, upwards, so each number is free when the next one moves into it.
        for later in Outcome.objects.filter(programme_id=programme_id, number__gt=number).order_by(
            "number"
        ):
            Outcome.objects.filter(pk=later.pk).update(number=F("number") - 1)


# Evidence and sign-offs


def do_add_evidence(
    outcome: Outcome, trainee: User, kind: str, pk: int, note: str = ""
) -> Evidence:
    """Attaches one of ``trainee``'s own things to ``outcome``: a saved log entry of theirs
    (``kind`` "entry"), an observation of their practice ("observation"), or a set they
    facilitate ("set"), found by ``pk`` among their own alone. Anything else is refused."""
    own = {
        Evidence.Kind.ENTRY: (
            own_entries,
            "Choose one of your own saved log entries (not a draft).",
        ),
        Evidence.Kind.OBSERVATION: (
            own_observations,
            "Choose an observation of your own practice.",
        ),
        Evidence.Kind.SET: (own_sets, "Choose a set you facilitate."),
    }
    if kind not in own:
        raise ValidationError("Choose a log entry, an observation or a set.")
    things, refusal = own[Evidence.Kind(kind)]
    with transaction.atomic():
        if SignOff.objects.filter(outcome=outcome, trainee=trainee).exists():
            raise ValidationError(
                f"Outcome {outcome.number} is signed off already: it needs no more evidence."
            )
        thing = things(trainee).filter(pk=pk).first()
        if thing is None:
            raise ValidationError(refusal)
        try:
            with transaction.atomic():
                return Evidence.objects.create(
                    outcome=outcome,
                    trainee=trainee,
                    kind=kind,
                    entry=thing if isinstance(thing, Entry) else None,
                    observation=thing if isinstance(thing, Observation) else None,
                    set=thing if isinstance(thing, Set) else None,
                    note=note.strip(),
                )
        except IntegrityError:
            raise ValidationError(
                f"That is already evidence for outcome {outcome.number}."
            ) from None


def do_remove_evidence(evidence: Evidence) -> None:
    """Takes evidence off an outcome, unless the outcome is signed off on it already."""
    with transaction.atomic():
        if SignOff.objects.filter(
            outcome_id=evidence.outcome_id, trainee_id=evidence.trainee_id
        ).exists():
            raise ValidationError(
                "This outcome is signed off, so its evidence stays as the trainer saw it."
            )
        evidence.delete()


def do_sign_off(outcome: Outcome, trainee: User, trainer: User, note: str) -> SignOff:
    """A trainer's word that ``trainee`` has met ``outcome``; once per outcome and trainee."""
    note = note.strip()
    if not note:
        raise ValidationError("Write a note saying how the trainee met the outcome.")
    try:
        with transaction.atomic():
            return SignOff.objects.create(
                outcome=outcome, trainee=trainee, trainer=trainer, note=note
            )
    except IntegrityError:
        earlier = SignOff.objects.select_related("trainer").filter(
            outcome=outcome, trainee=trainee
        )[:1]
        by = earlier[0].trainer.display_name if earlier and earlier[0].trainer else "a trainer"
        when = f" on {date_format(localtime(earlier[0].signed_at), 'j F Y')}" if earlier else ""
        raise ValidationError(
            f"Outcome {outcome.number} is already signed off by {by}{when}."
        ) from None
