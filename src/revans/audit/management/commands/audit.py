import re
from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from revans.audit.models import Action, AuditEvent

AGO = re.compile(r"(\d{1,5})([dhm])\Z")
UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def since_time(text: str) -> datetime:
    """``7d``, ``12h``, ``30m``, a date (from its midnight, local time) or a date and time."""
    ago = AGO.match(text.strip())
    if ago:
        return timezone.now() - timedelta(**{UNITS[ago.group(2)]: int(ago.group(1))})
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = datetime.combine(day, time())
    if moment is None:
        raise CommandError(
            f"--since takes a date (2026-12-01), a date and time (2026-12-01T09:00) or a time "
            f"ago (7d, 12h, 30m), not {text!r}."
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def actions_named(text: str) -> list[str]:
    """An action (``export``) or every action of a kind (``membership`` for membership.*)."""
    chosen = [a for a in Action.values if a == text or a.startswith(f"{text}.")]
    if not chosen:
        raise CommandError(f"No action {text!r}. The actions are: {', '.join(Action.values)}.")
    return chosen


class Command(BaseCommand):
    help = (
        "Prints the audit log, newest first: who exported what, shared or withdrew a log, "
        "changed memberships and roles, signed in to the admin and changed records there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="7d, 12h, 30m, a date or a date and time.")
        parser.add_argument(
            "--action", help="An action, or a kind of them (membership, share, admin)."
        )
        parser.add_argument("--actor", help="A person's id.")
        parser.add_argument(
            "--limit", type=int, default=100, help="At most this many events (100)."
        )

    def handle(self, *args, since, action, actor, limit, **options):
        events = AuditEvent.objects.with_actor_names()
        if since:
            events = events.filter(at__gte=since_time(since))
        if action:
            events = events.filter(action__in=actions_named(action))
        if actor:
            if not actor.isdigit():
                raise CommandError(f"--actor takes a person's id (a number), not {actor!r}.")
            events = events.filter(actor_id=int(actor))
        if limit < 1:
            raise CommandError("--limit takes a number of events, 1 or more.")
        shown = list(events[:limit])
        for event in shown:
            when = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S %Z")
            line = [
                when,
                event.actor_label(event.actor_name),
                event.via,
                event.action,
                event.target,
            ]
            if event.facts:
                line.append(event.facts_text)
            self.stdout.write("  ".join(line))
        if not shown:
            self.stdout.write("No audit events match.")
