"""Accepting the proposal: the programme's sets, memberships for the people already in Revans
and invitations for the others."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from revans.accounts.models import User
from revans.audit.models import Action
from revans.audit.services import event, record_all
from revans.sets import services as set_services
from revans.sets.models import Membership, MembershipChange, Role, Set
from revans.sets.services import membership_facts

from .board import Board
from .facilitators import facilitator_problems
from .models import Cohort


def manager_problems(cohort: Cohort, board: Board) -> list[str]:
    """The programme's managers placed in a set or given one to facilitate: a manager joins a
    set only when one of its facilitators invites them by name (architecture.md §4)."""
    managers = {u.email.casefold(): u for u in cohort.programme.managers.all()}
    problems = []
    for board_set in board.sets:
        facilitator = board_set.proposed.facilitator
        people = [p.email for p in board_set.members]
        people += [facilitator.email] if facilitator is not None else []
        for email in people:
            manager = managers.get(email.casefold())
            if manager is not None:
                problems.append(
                    set_services.MANAGER_JOINS_BY_INVITATION.format(name=manager)
                    + f" Take them out of {board_set.proposed}."
                )
    return problems


@dataclass
class Accepted:
    sets: list[Set]
    memberships: int
    invitations: int


def accept_problems(cohort: Cohort, board: Board) -> list[str]:
    """Why the proposal cannot be accepted as it is: broken rules, facilitators from their
    set's organisation, managers in sets (empty when it can be)."""
    problems = [f"{c.rule}: {c.detail}" for c in board.broken]
    problems += list(facilitator_problems(cohort, board).values())
    return problems + manager_problems(cohort, board)


def do_accept(cohort: Cohort, board: Board, user: User) -> Accepted:
    """Create the programme's sets from the proposal ``board`` (the caller has checked that
    it has no ``accept_problems``): people already in Revans become members at once, the
    others are invited by e-mail (by the background worker when there is one), and each
    facilitator joins their set."""
    users = {
        u.email.casefold(): u
        for u in User.objects.filter(email__in=[p.email for s in board.sets for p in s.members])
    }
    created: list[Set] = []
    memberships = 0
    to_invite: list[tuple[Set, list[str]]] = []
    with transaction.atomic():
        for board_set in board.sets:
            name = f"{cohort.programme.name} · {board_set.proposed}"[:120]
            set_ = Set.objects.create(
                programme=cohort.programme,
                name=name,
                place="To be agreed",
                status=Set.Status.FORMING,
            )
            created.append(set_)
            facilitator = board_set.proposed.facilitator
            new = []
            if facilitator is not None:
                new.append(Membership(set=set_, user=facilitator, role=Role.FACILITATOR))
            emails = []
            for p in board_set.members:
                person = users.get(p.email.casefold())
                if person is None:
                    emails.append(p.email)
                elif person != facilitator:
                    new.append(Membership(set=set_, user=person, role=Role.MEMBER))
            Membership.objects.bulk_create(new)
            changes = MembershipChange.objects.bulk_create(
                MembershipChange(
                    set=set_,
                    person=m.user,
                    person_name=str(m.user),
                    kind=MembershipChange.Kind.JOINED,
                    role=m.role,
                    by=user,
                    by_name=str(user),
                    how="formation",
                )
                for m in new
            )
            record_all(
                event(user, Action.MEMBERSHIP_JOINED, set_, facts=membership_facts(change))
                for change in changes
            )
            memberships += len(new)
            to_invite.append((set_, emails))
        cohort.accepted_at = timezone.now()
        cohort.save(update_fields=["accepted_at"])
    send_invitations.enqueue([[set_.pk, emails] for set_, emails in to_invite if emails], user.pk)
    return Accepted(created, memberships, sum(len(emails) for _, emails in to_invite))


@task()
def send_invitations(invitations: list[list], inviter_id: int) -> int:
    """E-mail each [set id, e-mails] its invitations: an accepted cohort may mean hundreds of
    e-mails, too many to send while a person waits for a page."""
    inviter = User.objects.filter(pk=inviter_id).first()
    sent = 0
    for set_id, emails in invitations:
        set_ = Set.objects.get(pk=set_id)
        sent += len(set_services.do_invite(set_, emails, Role.MEMBER, inviter, _link))
    return sent


def _link(token: str) -> str:
    return settings.SITE_URL + reverse("invitation_accept", args=[token])
