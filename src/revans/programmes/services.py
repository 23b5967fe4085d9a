"""What changes a programme's open sets and requests to join them: each function is one whole
change in one transaction. The membership an accepted request makes is the sets app's
(``sets.services.do_join_on_request``), which records it for the set's facilitators."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from revans.accounts.models import User
from revans.audit.models import Action
from revans.audit.services import record
from revans.sets.models import Membership, Role, Set
from revans.sets.services import MANAGER_JOINS_BY_INVITATION, do_join_on_request

from . import emails
from .models import JoinRequest, OpenSet, Programme


def managers_of(programme: Programme) -> set[int]:
    return set(programme.managers.values_list("pk", flat=True))


def record_manager_changes(programme: Programme, before: set[int], by: User) -> None:
    """The audit log's events for the managers added and removed since ``before`` (their ids),
    in the caller's transaction: the programme's form sets its managers as a whole."""
    after = managers_of(programme)
    for person in sorted(after - before):
        record(by, Action.MANAGER_ADDED, programme, person=person)
    for person in sorted(before - after):
        record(by, Action.MANAGER_REMOVED, programme, person=person)


def seats_left(set_: Set, programme: Programme) -> int:
    """Members the set can still take: the programme's largest set less its members now."""
    members = set_.memberships.filter(role=Role.MEMBER).count()
    return max(0, programme.set_size_max - members)


def _programme_of(set_: Set) -> Programme:
    programme: Programme | None = set_.programme
    if programme is None:
        raise ValidationError("Only a set in a programme can be opened to people asking to join.")
    return programme


def _manages(programme: Programme, user: User) -> bool:
    return programme.managers.filter(pk=user.pk).exists()


@transaction.atomic
def do_open_set(set_: Set, by: User, is_open: bool) -> bool:
    """Opens a set of the programme to requests to join, or closes it again (requests still
    waiting are declined then). True when something changed."""
    programme = _programme_of(set_)
    if not _manages(programme, by):
        raise ValidationError("Only the programme's managers open its sets to requests.")
    Set.objects.select_for_update().filter(pk=set_.pk).first()
    if is_open:
        if set_.status == Set.Status.CLOSED:
            raise ValidationError(f"{set_.name} has closed: it cannot take new members.")
        _, created = OpenSet.objects.get_or_create(set=set_, defaults={"opened_by": by})
        return created
    deleted, _ = OpenSet.objects.filter(set=set_).delete()
    waiting = list(JoinRequest.objects.filter(set=set_, status=JoinRequest.Status.PENDING))
    JoinRequest.objects.filter(pk__in=[r.pk for r in waiting]).update(
        status=JoinRequest.Status.DECLINED, decided_by=by, decided_at=timezone.now()
    )
    for join_request in waiting:
        join_request.status, join_request.decided_by = JoinRequest.Status.DECLINED, by
        emails.request_answered(join_request)
    return bool(deleted)


def may_decide(set_: Set, programme: Programme, user: User) -> bool:
    """The set's facilitators and the programme's managers answer requests to join it."""
    return (
        _manages(programme, user)
        or set_.memberships.filter(user=user, role=Role.FACILITATOR).exists()
    )


def join_refusal(set_: Set, programme: Programme, user: User) -> str:
    """Why ``user`` may not ask to join ``set_`` now, or "" when they may."""
    if _manages(programme, user):
        return MANAGER_JOINS_BY_INVITATION.format(name=user)
    if set_.status == Set.Status.CLOSED or not OpenSet.objects.filter(set=set_).exists():
        return f"{set_.name} is not open to new members."
    if Membership.objects.filter(set=set_, user=user).exists():
        return f"You are already in {set_.name}."
    if seats_left(set_, programme) <= 0:
        return f"{set_.name} is full: it has no seat left."
    return ""


@transaction.atomic
def do_request_join(set_: Set, user: User, note: str) -> JoinRequest:
    """Asks to join an open set with a short note. Refused (ValidationError) for a closed or
    full set, someone already in it, a second request while one waits, and any manager of the
    programme."""
    Set.objects.select_for_update().filter(pk=set_.pk).first()
    programme = _programme_of(set_)
    refusal = join_refusal(set_, programme, user)
    if refusal:
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(set=set_, person=user, note=note)
    except IntegrityError:
        raise ValidationError(
            f"You have already asked to join {set_.name}; the facilitator will answer."
        ) from None
    emails.request_made(join_request)
    return join_request


@transaction.atomic
def do_decide_join_request(join_request: JoinRequest, by: User, accept: bool) -> JoinRequest:
    """Accepts (the person joins as a member, recorded) or declines a waiting request. The set
    must still be open with a seat left to accept; a manager of the programme never joins this
    way, whoever accepts (``sets.services.do_join_on_request`` refuses it too)."""
    set_ = Set.objects.select_for_update().get(pk=join_request.set_id)
    join_request = JoinRequest.objects.select_related("person").get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError("This request has already been answered.")
    programme = _programme_of(set_)
    if not may_decide(set_, programme, by):
        raise ValidationError(
            "A request to join is answered by the set's facilitator or its programme's managers."
        )
    if accept:
        person = join_request.person
        if _manages(programme, person):
            raise ValidationError(MANAGER_JOINS_BY_INVITATION.format(name=person))
        if set_.status == Set.Status.CLOSED or not OpenSet.objects.filter(set=set_).exists():
            raise ValidationError(f"{set_.name} is not open to new members any more.")
        if seats_left(set_, programme) <= 0:
            raise ValidationError(f"{set_.name} is full: it has no seat left.")
        do_join_on_request(set_, person, by)
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    emails.request_answered(join_request)
    return join_request
