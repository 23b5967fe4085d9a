"""The summary a meeting leaves behind: made when it closes, kept on the meeting, e-mailed to
the people in the set, and downloadable as Markdown and PDF."""

from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.text import slugify

from revans.actions.models import Action
from revans.core.pdf import SANS, pdf_class, pdf_text

from ..insight import SHARE_LABELS, meeting_mix
from ..models import Attendance, Bid, Meeting, Question, ReviewNote, Room, RuleProposal, Technique
from ..purge import purged_on
from .techniques import outline


def build_summary(meeting: Meeting) -> dict:
    """Attendance, presenters and their headlines, actions committed and reported on, question
    counts and the set's question mix (counts per label, never who asked what) and the process
    review, as plain data (it outlives changes to the set)."""
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
        "question_mix": meeting_mix(Question.objects.filter(meeting=meeting)).as_dict(),
        "review": [
            {"text": n.text, "change": n.change} for n in ReviewNote.objects.filter(meeting=meeting)
        ],
        # The techniques each presenter's airtime used, and a taster's ground rules as kept.
        "techniques": [
            {"presenter": people.get(t.presenter_id, "someone who left"), **outline(t.kind, t.data)}
            for t in Technique.objects.filter(meeting=meeting)
        ],
        "ground_rules": list(
            RuleProposal.objects.filter(
                meeting=meeting, status=RuleProposal.Status.KEPT
            ).values_list("text", flat=True)
        ),
    }


def summary_markdown(meeting: Meeting) -> str:
    """The summary as Markdown, every word people wrote passed through ``markdown_text``."""
    summary = meeting.summary or {}
    return render_to_string(
        "meetings/summary.md",
        {
            "meeting": meeting,
            "summary": _markdown_texts(summary),
            "mix": mix_text(summary.get("question_mix")),
            "purged_on": purged_on(meeting),
        },
    )


# Brackets make links and images ([x](javascript:…), ![x](…), [x]: … definitions), ` makes
# code spans (in which the entities below would not be read back), a backslash could undo an
# escape; the rest of Markdown only styles text.
_MARKDOWN_ESCAPES = str.maketrans(
    {
        **{char: "\\" + char for char in "\\`[]"},
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\r": " ",
        "\n": " ",
    }
)


def markdown_text(text: str) -> str:
    """``text`` (someone's words) as Markdown that shows it as it was written: no HTML tag, no
    link or image, no code span can come from it in any renderer, and line breaks become spaces
    so that it stays on its own line of the summary."""
    return str(text).translate(_MARKDOWN_ESCAPES)


def _markdown_texts(value):
    if isinstance(value, str):
        return markdown_text(value)
    if isinstance(value, dict):
        return {key: _markdown_texts(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_markdown_texts(item) for item in value]
    return value


def mix_text(mix: dict | None) -> str:
    """A summary's question mix in words: counts per label and the open share, no names.
    Empty for a meeting with no questions, and for summaries made before the mix was kept."""
    if not mix or not mix.get("asked"):
        return ""
    parts = [f"{mix.get(label, 0)} {label}" for label in SHARE_LABELS]
    if mix.get("statement"):
        parts.append(f"{mix['statement']} not a question")
    share = mix.get("open_share")
    open_share = f"; {share}% of the questions were open" if share is not None else ""
    return f"Question mix: {', '.join(parts)}{open_share}."


ATTENDANCE_ORDER = ("present", "apologies", "absent", "not recorded")


def summary_figures(summary: dict) -> dict:
    """What a summary holds, in counts only (what a programme manager may see) and attendance
    grouped by status (for the people in the set)."""
    attendance = summary.get("attendance", [])
    groups: dict[str, list[str]] = {status: [] for status in ATTENDANCE_ORDER}
    for row in attendance:
        groups.setdefault(row["status"], []).append(row["name"])
    return {
        "people": len(attendance),
        "present": len(groups["present"]),
        "presenters": len(summary.get("presenters", [])),
        "committed": len(summary.get("committed", [])),
        "reported": len(summary.get("reported", [])),
        "questions": summary.get("questions", 0),
        "powerful": summary.get("powerful", 0),
        "attendance": [(status.capitalize(), names) for status, names in groups.items() if names],
    }


def summary_filename(meeting: Meeting, extension: str) -> str:
    return f"{slugify(meeting.set.name) or 'set'}-meeting-{meeting.number}-summary.{extension}"


@cache
def _pdf_class():
    # fpdf2 is imported when a PDF is asked for, not in every process that closes meetings.
    class SummaryPDF(pdf_class()):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font(SANS, size=8)
            self.set_text_color(90, 98, 112)
            self.cell(
                0,
                10,
                f"What is said in the set stays in the set. Page {self.page_no()}/{{nb}}",
                align="C",
            )

    return SummaryPDF


PURGED_NOTE = (
    "What was said in this meeting (its questions, the presenters' headlines, canvases and "
    "process review notes) was deleted on {day}, when the set's time for keeping it ended. "
    "The counts, the attendance and the members' actions remain."
)


def summary_pdf(meeting: Meeting) -> bytes:
    """The summary as a PDF (fpdf2, with fonts for every script: revans.core.pdf): the same
    sections as the Markdown."""
    summary = meeting.summary or {}
    pdf = _pdf_class()(format="A4")
    pdf.set_title(pdf_text(f"{summary.get('set', '')}, meeting {summary.get('meeting', '')}"))
    pdf.set_creator("Revans")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(3)
        pdf.set_font(SANS, "B", size)
        pdf.set_text_color(29, 36, 51)
        pdf.multi_cell(0, size * 0.55, pdf_text(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def line(text: str, bullet: bool = True, bold: bool = False) -> None:
        pdf.set_font(SANS, "B" if bold else "", 11)
        pdf.set_text_color(29, 36, 51)
        if bullet:
            pdf.cell(5, 6, "-")
        pdf.multi_cell(0, 6, pdf_text(text), align="L", new_x="LMARGIN", new_y="NEXT")

    heading(f"{summary.get('set', meeting.set.name)}, meeting {summary.get('meeting', '')}", 18)
    when = dateformat.format(timezone.localtime(meeting.starts_at), "l j F Y, H:i")
    line(when, bullet=False)
    purged = purged_on(meeting)
    if purged is not None:
        line(PURGED_NOTE.format(day=dateformat.format(purged, "j F Y")), bullet=False)

    figures = summary_figures(summary)
    heading("Attendance")
    for status, names in figures["attendance"]:
        line(f"{status}: {', '.join(names)}")
    if not figures["attendance"]:
        line("Not recorded.")

    heading("Presenters")
    for p in summary.get("presenters", []):
        asked = f"{p['questions']} question{'s' if p['questions'] != 1 else ''}"
        headline = f": {p['headline']}" if p.get("headline") else ""
        line(f"{p['name']}{headline} ({asked}, {p['powerful']} powerful)")
    if not summary.get("presenters"):
        line("Nobody presented.")

    heading("Actions committed")
    for a in summary.get("committed", []):
        line(f"{a['owner']}: {a['text']}")
    if not summary.get("committed"):
        line("None.")

    heading("Actions reported on")
    for a in summary.get("reported", []):
        note = f": {a['note']}" if a.get("note") else ""
        line(f"{a['owner']}: {a['text']} ({a['status']}){note}")
    if not summary.get("reported"):
        line("None.")

    heading("Questions")
    line(f"{figures['questions']} asked, {figures['powerful']} marked powerful.", bullet=False)
    mix = mix_text(summary.get("question_mix"))
    if mix:
        line(mix, bullet=False)

    if summary.get("ground_rules"):
        heading("The ground rules the set kept")
        for rule in summary["ground_rules"]:
            line(rule)

    for t in summary.get("techniques", []):
        heading(f"{t['name']}, in {t['presenter']}'s airtime")
        if t.get("title"):
            line(f"{t['title_label']}: {t['title']}", bullet=False, bold=True)
        for column in t["columns"]:
            line(column["label"], bullet=False, bold=True)
            for note in column["notes"]:
                line(note)
            if not column["notes"]:
                line("Nothing written.")

    if purged is not None:
        return bytes(pdf.output())  # the process review's notes were deleted with the rest
    heading("Process review")
    for n in summary.get("review", []):
        if n.get("change"):
            line(f"We will change: {n['text']}", bold=True)
        else:
            line(n["text"])
    if not summary.get("review"):
        line("No notes.")
    return bytes(pdf.output())


def send_summary(meeting_id: int) -> None:
    """E-mails the summary to the people in the set (it is theirs, never the programme's)."""
    meeting = Meeting.objects.select_related("set").get(pk=meeting_id)
    if not meeting.summary:
        return
    link = settings.SITE_URL + reverse("meeting_detail", args=[meeting.pk])
    recipients = [
        m.user.email for m in meeting.set.memberships.select_related("user") if m.user.is_active
    ]
    context = {
        "meeting": meeting,
        "summary": meeting.summary,
        "mix": mix_text(meeting.summary.get("question_mix")),
        "link": link,
        "pdf": settings.SITE_URL + reverse("meeting_summary_pdf", args=[meeting.pk]),
        "markdown": settings.SITE_URL + reverse("meeting_summary_md", args=[meeting.pk]),
        # Opens, for whoever signs in, a log entry from their own contributions only.
        "reflect": settings.SITE_URL + reverse("meeting_reflect", args=[meeting.pk]),
    }
    message = EmailMultiAlternatives(
        subject=f"[Revans] Summary of {meeting.set.name}, meeting {meeting.number}",
        body=render_to_string("meetings/email/summary.txt", context),
        to=recipients,
    )
    message.send()
