"""Meetings as RFC 5545 calendars: a person's feed and a single meeting's .ics download.

A calendar carries set *dates* only (when, where, the link): nothing said in the set
(architecture.md §4). Each meeting keeps one UID for life, so a calendar that has it moves it when the
meeting moves (a higher SEQUENCE) and removes it when it is cancelled (STATUS:CANCELLED).
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from .models import Meeting

PRODID = "-//Revans//Revans//EN"


def event_uid(meeting: Meeting) -> str:
    """The meeting's UID in every calendar: stable across moves and renumbering."""
    return f"{meeting.uid}@revans"


def summary(meeting: Meeting) -> str:
    text = f"{meeting.set.name} – meeting {meeting.number}"
    if meeting.is_first:
        text += " (first meeting: ground rules)"
    return text


def location(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.place.strip(), meeting.video_link) if part)


def description(meeting: Meeting, link: str) -> str:
    lines = [f"Meeting {meeting.number} of {meeting.set.name}, an action learning set."]
    if meeting.is_cancelled:
        lines.append("This meeting is cancelled.")
    if meeting.is_first:
        lines.append("The first meeting: the set meets and agrees its ground rules.")
    lines.append(
        "Self-facilitated: the set runs this meeting itself; any member may take the chair."
        if meeting.self_facilitated
        else "Facilitated: the set's facilitator runs this meeting."
    )
    if meeting.place:
        lines.append(f"Place: {meeting.place}")
    if meeting.video_link:
        lines.append(f"Video call: {meeting.video_link}")
    lines.append(f"Meeting page: {link}")
    return "\n".join(lines)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def event_for(meeting: Meeting, link: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", summary(meeting))
    where = location(meeting)
    if where:
        event.add("location", where)
    if meeting.video_link:
        event.add("url", meeting.video_link)
    event.add("description", description(meeting, link))
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    if meeting.created_at:
        event.add("created", _utc(meeting.created_at))
    if meeting.updated_at:
        event.add("last-modified", _utc(meeting.updated_at))
    return event


def calendar_for(
    meetings: Iterable[Meeting],
    name: str,
    link_for: Callable[[Meeting], str],
    *,
    refresh: timedelta | None = None,
) -> bytes:
    """An RFC 5545 VCALENDAR with one VEVENT per meeting, as bytes (CRLF, folded lines).

    ``meetings`` should come with ``select_related("set")``: nothing here queries the database.
    ``link_for(meeting)`` gives the absolute address of the meeting's page.
    Cancelled meetings stay in, with STATUS:CANCELLED, so subscribed calendars drop them.
    ``refresh``, for a feed, tells subscribing apps how often to look again.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if refresh:
        # RFC 7986's name, and the older one Outlook reads.
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    stamp = _utc(timezone.now())
    for meeting in meetings:
        calendar.add_component(event_for(meeting, link_for(meeting), stamp))
    return calendar.to_ical()
