"""From the meeting to the log (issue 6, item 5): after a meeting closes, each person in the set is
asked to reflect, and "Add to my log" starts a draft from *their own* contributions only.

What a person's draft may hold is decided here, in one place: the actions they committed, their
report-back notes on their own actions, the questions they asked (text only), how many of the
questions asked in their own airtime they marked powerful, without those questions' words: they
are another member's words, and a log can leave the set (it may be shared with an assessor); and
the technique canvases of their own airtime, which are the working material of their own issue
and name nobody (a canvas keeps no author for its notes).
Other members' actions, notes, review notes and questions never reach it (architecture.md §4: "what is
said in the set stays in the set").
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from revans.actions.models import Action
from revans.meetings.models import Attendance, Bid, Meeting, Question, Room, Technique, run_without
from revans.meetings.room.techniques import new_canvas, outline

from . import chairing
from .models import Entry, Log
from .prompts import log_templates, shipped_prompt_sets

PROMPT_SET = "after-a-meeting"  # Learning Log Questions
JOURNAL_TEMPLATE = "set-journal"  # the log made on the fly for someone who has none
RECENT_WEEKS = 6  # how long a closed meeting keeps asking to be reflected on
MISSED = (Attendance.Status.APOLOGIES, Attendance.Status.ABSENT)


def meetings_to_reflect_on(user, meeting: Meeting | None = None) -> list[Meeting]:
    """Closed meetings of the last few weeks that ``user`` attended and has not yet written a log
    entry about (a draft counts: they have started). Newest first, in one query."""
    since = timezone.now() - timedelta(weeks=RECENT_WEEKS)
    missed = Attendance.objects.filter(meeting=OuterRef("pk"), user=user, status__in=MISSED)
    present = Attendance.objects.filter(
        meeting=OuterRef("pk"), user=user, status=Attendance.Status.PRESENT
    )
    written = Entry.objects.filter(log__owner=user, meeting=OuterRef("pk"))
    meetings = (
        Meeting.objects.with_content_for(user)  # a manager does not reflect on others' sets
        # nor a facilitator on a meeting her set ran itself, unless she was there after all
        .filter(~run_without(user) | Exists(present))
        .filter(status=Meeting.Status.CLOSED, starts_at__gte=since)
        .exclude(Exists(missed))
        .exclude(Exists(written))
        .select_related("set")
        .order_by("-starts_at")
    )
    if meeting is not None:
        meetings = meetings.filter(pk=meeting.pk)
    return list(meetings)


@dataclass
class Contributions:
    """One person's own words and commitments in one meeting."""

    headline: str = ""
    committed: list[str] = field(default_factory=list)
    reported: list[tuple[str, str, str]] = field(default_factory=list)  # text, status, note
    asked: list[str] = field(default_factory=list)
    powerful: int = 0  # questions others asked in my airtime that I marked powerful: a count
    techniques: list[dict] = field(default_factory=list)  # my airtime's canvases, as outlines

    @property
    def empty(self) -> bool:
        return not (
            self.headline
            or self.committed
            or self.reported
            or self.asked
            or self.powerful
            or self.techniques
        )


def own_contributions(user, meeting: Meeting) -> Contributions:
    """What ``user`` brought to ``meeting``, read through the models' access-checked querysets
    and then narrowed to ``user``: never another member's words (of the questions others asked
    in ``user``'s airtime and ``user`` marked powerful, only how many). Callers have checked that
    ``user`` is in the meeting's set."""
    actions = Action.objects.visible_to(user).filter(owner=user).order_by("created_at")
    questions = Question.objects.visible_to(user).filter(meeting=meeting).order_by("created_at")
    headline = ""
    if user.pk in _presenters(meeting):
        headline = (
            Bid.objects.filter(meeting=meeting, user=user)
            .values_list("headline", flat=True)
            .first()
            or ""
        )
    return Contributions(
        headline=headline,
        committed=list(actions.filter(committed_in=meeting).values_list("text", flat=True)),
        reported=[
            (a.text, a.get_status_display(), a.report_note)
            for a in actions.filter(reported_in=meeting)
        ],
        # Words deleted with the set's retention leave nothing to bring in.
        asked=list(questions.filter(asker=user).exclude(text="").values_list("text", flat=True)),
        powerful=questions.filter(presenter=user, powerful=True).exclude(asker=user).count(),
        techniques=[
            outline(t.kind, t.data)
            for t in Technique.objects.visible_to(user)
            .filter(meeting=meeting, presenter=user)
            .exclude(data=new_canvas())  # emptied by retention, or never written on
        ],
    )


def _presenters(meeting: Meeting) -> list[int]:
    room = Room.objects.filter(meeting=meeting).only("presenters").first()
    return list(room.presenters or []) if room else []


def _line(text: str) -> str:
    """One line of someone's own text as a Markdown list item (no line breaks sneak in)."""
    return "- " + " ".join(str(text).split())


def reflection_body(contributions: Contributions) -> str:
    """The draft's Markdown: the Learning Log Questions, with the person's own contributions
    under the prompts they belong to and room to write under each."""
    prompts = [p.text for p in shipped_prompt_sets()[PROMPT_SET].prompts]
    bring, learn, do, notice = prompts
    c = contributions
    parts: list[str] = [f"## {bring}\n"]
    if c.headline:
        parts.append(f"I presented: {' '.join(c.headline.split())}\n")
    if c.reported:
        parts.append("My report-back on my actions:\n")
        for text, status, note in c.reported:
            parts.append(_line(f"{text} ({status.lower()})" + (f": {note}" if note else "")))
        parts.append("")
    if c.powerful:
        count = "1 question" if c.powerful == 1 else f"{c.powerful} questions"
        parts.append(
            f"I marked {count} in my airtime as powerful. The words stay in the set; "
            "what did they open up for me?\n"
        )
    for canvas in c.techniques:
        parts.append(f"The set worked on it with a {canvas['name'].lower()}:\n")
        if canvas["title"]:
            parts.append(_line(f"{canvas['title_label']}: {canvas['title']}"))
        for column in canvas["columns"]:
            notes = "; ".join(" ".join(note.split()) for note in column["notes"]) or "nothing"
            parts.append(_line(f"{column['label']}: {notes}"))
        parts.append("")
    parts.append(f"\n## {learn}\n\n")
    parts.append(f"## {do}\n")
    if c.committed:
        parts.append("The actions I committed to:\n")
        parts.extend(_line(text) for text in c.committed)
        parts.append("")
    parts.append(f"\n## {notice}\n")
    if c.asked:
        parts.append("The questions I asked:\n")
        parts.extend(_line(text) for text in c.asked)
        parts.append("")
    return "\n".join(parts).rstrip() + "\n\n"


def new_journal_title(titles) -> str:
    """The title of the set journal "Add to my log" would make beside logs called ``titles``:
    "My set journal", or "My set journal (2)", "(3)"… so that the new one never reads like one
    the person already has."""
    name = log_templates()[JOURNAL_TEMPLATE].name
    taken = {str(title).casefold() for title in titles}
    title, number = name, 1
    while title.casefold() in taken:
        number += 1
        title = f"{name} ({number})"
    return title


def journal_for(user) -> Log:
    """A new "My set journal" (numbered if that title is taken) for someone adding a meeting."""
    template = log_templates()[JOURNAL_TEMPLATE]
    return Log.objects.create(
        owner=user,
        title=new_journal_title(Log.objects.owned_by(user).values_list("title", flat=True)),
        purpose=template.purpose,
        template=template.slug,
        sections=list(template.sections),
        period_months=template.period_months,
        words_min=template.words_min,
        words_max=template.words_max,
    )


def do_add_meeting_to_log(user, meeting: Meeting, log: Log | None) -> Entry:
    """A draft entry in ``log`` (or in a new "My set journal"), linked to ``meeting``, starting
    from the Learning Log Questions and ``user``'s own contributions; for the set's facilitator,
    from the facilitators' questions, the set's figures and their own chairing
    (``chairing.py``). Callers check that the meeting is closed and ``user`` is in its set, and
    that ``log`` is theirs."""
    if log is None:
        log = journal_for(user)
    if chairing.facilitates(user, meeting):
        prompt_set = chairing.PROMPT_SET
        body = chairing.facilitator_body(
            chairing.set_figures(user, meeting), chairing.chairing(user, meeting)
        )
    else:
        prompt_set, body = PROMPT_SET, reflection_body(own_contributions(user, meeting))
    return Entry.objects.create(
        log=log,
        title=f"{meeting.set.name}, meeting {meeting.number}",
        entry_date=min(timezone.localdate(meeting.starts_at), timezone.localdate()),
        meeting=meeting,
        prompt_set=prompt_set,
        body=body,
        draft=True,
    )
