"""What changes a set: each function does one whole change, in one transaction."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import (
    DEFAULT_GROUND_RULES,
    GroundRules,
    GroundRulesAgreement,
    Invitation,
    Membership,
    Role,
    Set,
)

User = get_user_model()


@transaction.atomic
def do_create_set(set_: Set, creator, facilitate: bool) -> Set:
    set_.save()
    if facilitate or not set_.programme_id:
        role = Role.FACILITATOR if not set_.self_facilitated else Role.MEMBER
        Membership.objects.create(set=set_, user=creator, role=role)
    return set_


def current_ground_rules(set_: Set, user) -> GroundRules | None:
    """The set's latest ground rules, if ``user`` may read them."""
    return GroundRules.objects.visible_to(user).filter(set=set_).order_by("-version").first()


def draft_rules(set_: Set, user) -> list[str]:
    """The rules to start editing from: the current ones, or Revans's suggestions."""
    current = current_ground_rules(set_, user)
    return list(current.rules) if current else list(DEFAULT_GROUND_RULES)


@transaction.atomic
def do_save_ground_rules(set_: Set, rules: list[str], author) -> tuple[GroundRules, bool]:
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


def do_agree_to_ground_rules(ground_rules: GroundRules, user) -> GroundRulesAgreement:
    agreement, _ = GroundRulesAgreement.objects.get_or_create(ground_rules=ground_rules, user=user)
    return agreement


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
def do_change_role(membership: Membership, role: str) -> Membership:
    _check_keeps_a_facilitator(membership, role)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def do_remove_member(membership: Membership) -> None:
    _check_keeps_a_facilitator(membership, None)
    membership.delete()


def do_invite(set_: Set, emails: list[str], role: str, invited_by, link_for) -> list[Invitation]:
    """Invites each address (a pending invitation to the same address is sent again).

    ``link_for(token)`` turns a token into the absolute link to put in the e-mail.
    """
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
        _send_invitation(invitation, link_for(token))
        sent.append(invitation)
    return sent


def _send_invitation(invitation: Invitation, link: str) -> None:
    context = {
        "invitation": invitation,
        "link": link,
        "existing": User.objects.filter(email__iexact=invitation.email).exists(),
        "days": settings.INVITATION_DAYS,
    }
    send_mail(
        subject=f"[Revans] {invitation.invited_by} invites you to the set “{invitation.set}”",
        message=render_to_string("sets/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def do_revoke_invitation(invitation: Invitation) -> bool:
    """Revokes a pending invitation; False when it was no longer pending."""
    return bool(
        Invitation.objects.pending().filter(pk=invitation.pk).update(revoked_at=timezone.now())
    )


@transaction.atomic
def do_accept_invitation(invitation: Invitation, user) -> Membership:
    """Joins ``user`` to the invitation's set. The link proved they read that mailbox."""
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
    except IntegrityError:
        membership = Membership.objects.get(set=invitation.set, user=user)
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return membership
