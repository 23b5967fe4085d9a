"""The e-mails of a date poll: each person who answers in the set is asked when it opens (its
times in their own time zone, with their own answer link), and the whole set hears the time
chosen. Queued as tasks once the change is committed: a poll rolled back sends nothing."""

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat
from django_tasks import task

from revans.accounts.models import User
from revans.core.mail import send_each, zone_info, zone_name
from revans.sets.models import Membership, Role

from .links import answer_token
from .models import Poll

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Revans] "


def zone_of(user: User) -> ZoneInfo:
    return zone_info(user.time_zone)


def when(starts_at, minutes: int, zone: ZoneInfo) -> str:
    """ "Tuesday 9 December 2026, 14:00–15:30" in ``zone``."""
    start = starts_at.astimezone(zone)
    end = (starts_at + timedelta(minutes=minutes)).astimezone(zone)
    return f"{dateformat.format(start, 'l j F Y, H:i')}–{dateformat.format(end, 'H:i')}"


def answering(poll: Poll) -> list[User]:
    """The set's facilitators and members, active ones, but the poll's proposer."""
    memberships = (
        Membership.objects.filter(
            set_id=poll.set_id,
            role__in=[Role.FACILITATOR, Role.MEMBER],
            user__is_active=True,
        )
        .exclude(user_id=poll.created_by_id)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )
    return [m.user for m in memberships]


@task()
def send_invitations(poll_id: int) -> int:
    """Asks everyone who answers in the set, but the proposer, to answer the poll."""
    poll = Poll.objects.select_related("set", "created_by").filter(pk=poll_id).first()
    if poll is None or not poll.is_open:
        return 0
    times = list(poll.slots.values_list("starts_at", flat=True))
    poll_url = settings.SITE_URL + reverse("poll_detail", args=[poll.pk])
    messages = []
    for user in answering(poll):
        zone = zone_of(user)
        context = {
            "poll": poll,
            "set": poll.set,
            "user": user,
            "proposer": poll.created_by.display_name if poll.created_by else "Someone",
            "times": [when(t, poll.duration_minutes, zone) for t in times],
            "zone": zone_name(zone),
            "answer_url": settings.SITE_URL
            + reverse("poll_answer_link", args=[answer_token(poll.pk, user.pk)]),
            "poll_url": poll_url,
        }
        subject = f"{SUBJECT_PREFIX}{poll.set.name}: when can you meet? {poll.title}"
        body = render_to_string("polls/email/invitation.txt", context)
        messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    return send_each(messages, f"Poll {poll.pk} invitation")


@task()
def send_chosen(poll_id: int, chooser_id: int) -> int:
    """Tells everyone in the set (observers too: they come to meetings) the time chosen."""
    poll = Poll.objects.select_related("set", "meeting", "closed_by").filter(pk=poll_id).first()
    if poll is None or poll.meeting is None:
        return 0
    meeting = poll.meeting
    memberships = (
        Membership.objects.filter(set_id=poll.set_id, user__is_active=True)
        .exclude(user_id=chooser_id)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )
    messages = []
    for membership in memberships:
        user = membership.user
        zone = zone_of(user)
        context = {
            "poll": poll,
            "set": poll.set,
            "meeting": meeting,
            "chooser": poll.closed_by.display_name if poll.closed_by else "The set",
            "when": when(meeting.starts_at, meeting.duration_minutes, zone),
            "zone": zone_name(zone),
            "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
        }
        subject = f"{SUBJECT_PREFIX}{poll.set.name} meets {context['when']}"
        body = render_to_string("polls/email/chosen.txt", context)
        messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    return send_each(messages, f"Poll {poll.pk} choice")


def invite_after_commit(poll: Poll) -> None:
    transaction.on_commit(lambda: send_invitations.enqueue(poll.pk))


def tell_chosen_after_commit(poll_id: int, chooser_id: int) -> None:
    transaction.on_commit(lambda: send_chosen.enqueue(poll_id, chooser_id))
