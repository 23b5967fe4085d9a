"""The summary a meeting leaves behind: made when it closes, kept on the meeting, e-mailed to
the people in the set, and downloadable as Markdown and PDF."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse

from revans.actions.models import Action

from ..models import Attendance, Bid, Meeting, Question, ReviewNote, Room


def build_summary(meeting: Meeting) -> dict:
    """Attendance, presenters and their headlines, actions committed and reported on, question
    counts and the process review, as plain data (it outlives changes to the set)."""
    people = {
        m.user_id: m.user.display_name for m in meeting.set.memberships.select_related("user")
    }
    attendance = {a.user_id: a.status for a in Attendance.objects.filter(meeting=meeting)}
    room = Room.objects.filter(meeting=meeting).first()
    presenters = list(room.presenters) if room else []
    headlines = dict(Bid.objects.filter(meeting=meeting).values_list("user_id", "headline"))
    counts = {
        row["presenter_id"]: row
        for row in Question.objects.filter(meeting=meeting)
        .values("presenter_id")
        .annotate(asked=Count("pk"), powerful=Count("pk", filter=Q(powerful=True)))
    }
    return {
        "meeting": meeting.number,
        "set": meeting.set.name,
        "date": meeting.starts_at.isoformat(),
        "attendance": [
            {"name": name, "status": attendance.get(uid, "not recorded")}
            for uid, name in sorted(people.items(), key=lambda item: item[1])
        ],
        "presenters": [
            {
                "name": people.get(p, "someone who left"),
                "headline": headlines.get(p, ""),
                "questions": counts.get(p, {}).get("asked", 0),
                "powerful": counts.get(p, {}).get("powerful", 0),
            }
            for p in presenters
        ],
        "committed": [
            {"owner": people.get(a.owner_id, a.owner.display_name), "text": a.text}
            for a in Action.objects.filter(committed_in=meeting).select_related("owner")
        ],
        "reported": [
            {
                "owner": people.get(a.owner_id, a.owner.display_name),
                "text": a.text,
                "status": a.get_status_display(),
                "note": a.report_note,
            }
            for a in Action.objects.filter(reported_in=meeting).select_related("owner")
        ],
        "questions": sum(c["asked"] for c in counts.values()),
        "powerful": sum(c["powerful"] for c in counts.values()),
        "review": [
            {"text": n.text, "change": n.change} for n in ReviewNote.objects.filter(meeting=meeting)
        ],
    }


def summary_markdown(meeting: Meeting) -> str:
    return render_to_string(
        "meetings/summary.md", {"meeting": meeting, "summary": meeting.summary or {}}
    )


def send_summary(meeting_id: int) -> None:
    """E-mails the summary to the people in the set (it is theirs, never the programme's)."""
    meeting = Meeting.objects.select_related("set").get(pk=meeting_id)
    if not meeting.summary:
        return
    link = settings.SITE_URL + reverse("meeting_detail", args=[meeting.pk])
    recipients = [
        m.user.email for m in meeting.set.memberships.select_related("user") if m.user.is_active
    ]
    context = {"meeting": meeting, "summary": meeting.summary, "link": link}
    message = EmailMultiAlternatives(
        subject=f"[Revans] Summary of {meeting.set.name}, meeting {meeting.number}",
        body=render_to_string("meetings/email/summary.txt", context),
        to=recipients,
    )
    message.send()
