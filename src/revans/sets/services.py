"""What changes a set: each function does one whole change, in one transaction."""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from revans.accounts.models import User
from revans.audit.models import Action
from revans.audit.services import record
from revans.core.links import flow as links

from .models import (
    DEFAULT_GROUND_RULES,
    Expectations,
    GroundRules,
    GroundRulesAgreement,
    Invitation,
    Membership,
    MembershipChange,
    Role,
    Set,
)


def record_change(
    membership: Membership, kind: str, by: User | None = None, how: str = "", old_role: str = ""
) -> MembershipChange:
    """Keeps the trace of a change of membership, shown to the set's facilitators, and its
    event in the audit log (ids and roles only)."""
    change = MembershipChange.objects.create(
        set_id=membership.set_id,
        person=membership.user,
        person_name=str(membership.user),
        kind=kind,
        role=membership.role,
        old_role=old_role,
        by=by,
        by_name=str(by) if by else "",
        how=how,
    )
    record(
        by, f"membership.{kind}", ("sets.set", membership.set_id), facts=membership_facts(change)
    )
    return change


def membership_facts(change: MembershipChange) -> dict[str, int | str | None]:
    """The audit log's facts of a change of membership: who, which roles, how."""
    facts: dict[str, int | str | None] = {"person": change.person_id, "role": change.role}
    if change.old_role:
        facts["old_role"] = change.old_role
    if change.how:
        facts["how"] = change.how
    return facts


def _manages_programme(set_: Set, user: User) -> bool:
    programme = set_.programme
    return programme is not None and programme.managers.filter(pk=user.pk).exists()


def _is_facilitator(set_: Set, user: User | None) -> bool:
    if user is None:
        return False
    return set_.memberships.filter(user=user, role=Role.FACILITATOR).exists()


MANAGER_JOINS_BY_INVITATION = (
    "{name} manages this set's programme. A programme manager joins a set only when one of its "
    "facilitators invites them by name."
)


@transaction.atomic
def do_create_set(set_: Set, creator: User, facilitate: bool) -> Set:
    set_.save()
    if facilitate or not set_.programme_id:
        role = Role.FACILITATOR if not set_.self_facilitated else Role.MEMBER
        membership = Membership.objects.create(set=set_, user=creator, role=role)
        record_change(membership, MembershipChange.Kind.JOINED, by=creator, how="created")
    return set_


def current_ground_rules(set_: Set, user: User | AnonymousUser) -> GroundRules | None:
    """The set's latest ground rules, if ``user`` may read them."""
    return GroundRules.objects.visible_to(user).filter(set=set_).order_by("-version").first()


def draft_rules(set_: Set, user: User | AnonymousUser) -> list[str]:
    """The rules to start editing from: the current ones, or Revans's suggestions."""
    current = current_ground_rules(set_, user)
    return list(current.rules) if current else list(DEFAULT_GROUND_RULES)


@transaction.atomic
def do_save_ground_rules(set_: Set, rules: list[str], author: User) -> tuple[GroundRules, bool]:
    """Saves the rules as a new version if they changed; everyone must then agree again."""
    # Lock the set so that two editors saving at once make versions 2 and 3, not two 2s.
    Set.objects.select_for_update().filter(pk=set_.pk).first()
    current = set_.ground_rules.order_by("-version").first()
    if current is not None and current.rules == rules:
        return current, False
    version = current.version + 1 if current else 1
    ground_rules = GroundRules.objects.create(
        set=set_, version=version, rules=rules, drafted_by=author
    )
    if set_.memberships.filter(user=author).exists():
        # The person who wrote the rules agrees to them by saving them.
        GroundRulesAgreement.objects.create(ground_rules=ground_rules, user=author)
    return ground_rules, True


def do_agree_to_ground_rules(ground_rules: GroundRules, user: User) -> GroundRulesAgreement:
    agreement, _ = GroundRulesAgreement.objects.get_or_create(ground_rules=ground_rules, user=user)
    return agreement


@transaction.atomic
def do_save_expectations(set_: Set, member: User, answers: dict[str, str]) -> Expectations:
    """Saves a member's expectations questionnaire: ``answers`` holds every question asked,
    an empty one cleared; answers to questions no longer asked are kept."""
    if not set_.memberships.filter(user=member, role=Role.MEMBER).exists():
        raise ValidationError("Only the members of a set answer its expectations questionnaire.")
    expectations: Expectations
    expectations, _ = Expectations.objects.select_for_update().get_or_create(set=set_, user=member)
    kept = {key: text for key, text in expectations.answers.items() if key not in answers}
    expectations.answers = kept | {key: text for key, text in answers.items() if text}
    expectations.save()
    return expectations


def _check_keeps_a_facilitator(membership: Membership, new_role: str | None) -> None:
    """A facilitated set must keep at least one facilitator."""
    if membership.set.self_facilitated or membership.role != Role.FACILITATOR:
        return
    if new_role == Role.FACILITATOR:
        return
    others = membership.set.memberships.filter(role=Role.FACILITATOR).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            f"{membership.user} is the set's only facilitator. Name another facilitator first, "
            "or make the set self-facilitated."
        )


@transaction.atomic
def do_change_role(membership: Membership, role: str, by: User | None = None) -> Membership:
    _check_keeps_a_facilitator(membership, role)
    old_role = membership.role
    if old_role == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    record_change(membership, MembershipChange.Kind.ROLE, by=by, old_role=old_role)
    return membership


@transaction.atomic
def do_remove_member(membership: Membership, by: User | None = None) -> None:
    _check_keeps_a_facilitator(membership, None)
    left = by is not None and by.pk == membership.user_id
    kind = MembershipChange.Kind.LEFT if left else MembershipChange.Kind.REMOVED
    record_change(membership, kind, by=by)
    membership.delete()


def check_invitations(set_: Set, emails: list[str], invited_by: User | None) -> None:
    """Refuses (ValidationError) invitations that would let someone add themselves to a set's
    content: only a facilitator of the set may invite one of its programme's managers, and
    nobody but a facilitator invites their own address (architecture.md §4)."""
    if _is_facilitator(set_, invited_by):
        return
    wanted = {e.casefold() for e in emails}
    if invited_by is not None and invited_by.email.casefold() in wanted:
        raise ValidationError(
            "You cannot invite yourself. A facilitator of the set can invite you by name."
        )
    if set_.programme is not None:
        for manager in set_.programme.managers.all():
            if manager.email.casefold() in wanted:
                raise ValidationError(MANAGER_JOINS_BY_INVITATION.format(name=manager))


def do_invite(
    set_: Set,
    emails: list[str],
    role: str,
    invited_by: User | None,
    link_for: Callable[[str], str],
) -> list[Invitation]:
    """Invites each address (a pending invitation to the same address is sent again).

    ``link_for(token)`` turns a token into the absolute link to put in the e-mail. Raises
    ValidationError, inviting nobody, when ``check_invitations`` refuses any address.
    """
    check_invitations(set_, emails, invited_by)
    sent = []
    for email in emails:
        with transaction.atomic():
            invitation = set_.invitations.pending().filter(email=email).first()
            if invitation is None:
                invitation = Invitation(set=set_, email=email)
            invitation.role = role
            invitation.invited_by = invited_by
            token = invitation.new_token()
            invitation.save()
            # The role only: the address is the person's, and the log outlives it.
            record(invited_by, Action.INVITATION_SENT, invitation, set=set_.pk, role=role)
        links.send(invitation, token, link_for)
        sent.append(invitation)
    return sent


@transaction.atomic
def do_revoke_invitation(invitation: Invitation, by: User | None = None) -> bool:
    """Revokes a pending invitation; False when it was no longer pending."""
    revoked = bool(
        Invitation.objects.pending().filter(pk=invitation.pk).update(revoked_at=timezone.now())
    )
    if revoked:
        record(
            by, Action.INVITATION_REVOKED, invitation, set=invitation.set_id, role=invitation.role
        )
    return revoked


@transaction.atomic
def do_accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Joins ``user`` to the invitation's set. The link proved they read that mailbox.

    A manager of the set's programme joins only on a facilitator's invitation: an invitation
    from anyone else (another manager, or herself) is refused here even if it was sent."""
    set_ = invitation.set
    if _manages_programme(set_, user) and not _is_facilitator(set_, invitation.invited_by):
        raise ValidationError(MANAGER_JOINS_BY_INVITATION.format(name=user))
    claimed = (
        Invitation.objects.pending()
        .filter(pk=invitation.pk)
        .update(accepted_at=timezone.now(), accepted_by=user)
    )
    if not claimed:
        raise ValidationError("This invitation has already been used, revoked or has expired.")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                set=invitation.set, user=user, role=invitation.role
            )
        record_change(
            membership, MembershipChange.Kind.JOINED, by=invitation.invited_by, how="invitation"
        )
    except IntegrityError:
        membership = Membership.objects.get(set=invitation.set, user=user)
    links.confirm_address(user)
    return membership


@transaction.atomic
def do_join_on_request(set_: Set, user: User, accepted_by: User) -> Membership:
    """Adds ``user`` as a member on their own request to join (``programmes.JoinRequest``),
    accepted by one of the set's facilitators or its programme's managers; the change is
    recorded. A manager of the set's programme never joins this way, whoever accepts: she joins
    only on a facilitator's invitation by name (architecture.md §4)."""
    if _manages_programme(set_, user):
        raise ValidationError(MANAGER_JOINS_BY_INVITATION.format(name=user))
    if accepted_by.pk == user.pk or not (
        _is_facilitator(set_, accepted_by) or _manages_programme(set_, accepted_by)
    ):
        raise ValidationError(
            "A request to join is accepted by the set's facilitator or its programme's managers."
        )
    membership, created = Membership.objects.get_or_create(
        set=set_, user=user, defaults={"role": Role.MEMBER}
    )
    if created:
        record_change(membership, MembershipChange.Kind.JOINED, by=accepted_by, how="request")
    return membership
