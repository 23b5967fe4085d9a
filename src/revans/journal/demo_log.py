"""Demo learning logs (issue 6, item 8): Fran's ILM facilitator log, half-way through its nine
months and shared with her assessor Asa, and Mo's set journal, started from a meeting.

Called by ``revans.core.demo.load_demo``; loading twice changes nothing. The images are drawn with
Pillow as the demo loads, so no binary files ship with the code.
"""

import io
import itertools
import math
import random
import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from revans.meetings.models import Meeting

from .models import (
    Attachment,
    Comment,
    Entry,
    Log,
    Share,
    ShareRole,
    add_months,
    meetings_for_log,
)
from .prompts import log_templates
from .reflect import do_add_meeting_to_log

ILM = "ilm-facilitator-log"

# (days ago, section, title, tags, Aurora meeting number or None, image key or None, body)
FRAN_ENTRIES = [
    (
        118,
        "Purpose of the log",
        "Why I am keeping this log",
        "purpose, ILM",
        None,
        None,
        """I am keeping this log for my ILM-endorsed certificate in action learning facilitation, but
I want it to be more than evidence for an assessor. For six years I have run workshops and
courses, and I am good at being the person at the front with the answers. Action learning asks
me to do almost the opposite: to hold the space, to trust the set with its own problems, and to
help people ask better questions of each other rather than supplying my own.

I chose action learning because the middle managers I work with across the councils and the
trust are drowning in advice. They get toolkits, frameworks and best practice from every
direction, and still feel stuck with the problems that are actually theirs. Revans said there is
no learning without action and no action without learning, and that fits what I see: the
managers who change things are the ones who try something on Monday and think hard about it on
Friday.

This log will follow my first set, Aurora, from the taster meeting to the end of the programme,
and later Beacon if I co-facilitate with Gus. I will write after each meeting, and in between
when something shifts in my thinking. I want to record what I did, how I adapted the process,
what I noticed about questioning (mine and the set's), how my confidence changes, and what I
would do differently.

A note on confidentiality: what is said in the set stays in the set. I describe members by their
role rather than their name, and I write about my practice, not about their problems.""",
    ),
    (
        104,
        "Examples of facilitating and how you adapted the approach",
        "Preparing Aurora: contracting and the room",
        "contracting, room, ground rules",
        None,
        "seating",
        """Aurora is six managers from a borough council, an NHS trust, a housing association and
a charity: a ward manager, a head of neighbourhood services, a tenancy services manager, a
volunteer programme manager, a planning team leader and a revenues manager. Two of them had been
sent by their directors, which I know from the taster calls, and I wanted to make sure that being
sent did not become the story of the set.

I spent more time on the contracting than the programme handbook suggests. At the taster meeting
I asked each person what would make this group worth an hour of their month, and what would make
them stop coming. The answers became our ground rules, in their words: confidentiality, turning
up or sending apologies, questions rather than advice, and "no fixing each other". I had drafted
the standard rules in advance, and I noticed how much more ownership there was when they
rewrote them rather than agreeing to mine.

I also thought about the room itself. Committee Room 2 has a long boardroom table, which puts the
chair at one end and the presenter somewhere in the middle. I asked facilities to move two tables
together so that we sit in a rough circle, with me on the side rather than at the head, and an
empty chair beside the presenter. The empty chair is a small idea from my training: it reminds
the set that the problem sits with the presenter, and that the rest of us are visitors to it.

![Seating plan for Aurora: a circle of seven chairs, the presenter with an empty chair beside them and the facilitator on the side](IMAGE)

What I would do differently: I let the taster run ten minutes over because the conversation was
good. The planning team leader had to leave before we agreed the rules, and had to agree them by
e-mail afterwards. Next time I will protect the ending as carefully as the beginning.""",
    ),
    (
        80,
        "Questions and questioning",
        "Aurora, meeting 1: advice dressed as questions",
        "questioning, advice, silence",
        1,
        None,
        """The first full meeting, with one presenter: the head of neighbourhood services, working on
bringing two teams together after a restructure. The presentation was clear and honest, and the
set was eager to help. That eagerness was the problem.

Of the eight questions captured, I counted three that were genuinely open. The rest were advice
with a question mark at the end ("Have you tried a joint away day?", "Why don't you merge the
rotas yourself?"), closed fact-finding, or leading questions. None of them were unkind. They were
the questions of capable managers who solve problems for a living, and who were doing what their
organisations reward.

I hesitated to intervene. My instinct was to let the round run and talk about it in the process
review, so as not to embarrass anyone in the first meeting. Looking back, I think that was right
for the first two advice-questions and wrong for the third. By then the presenter had started to
defend rather than think, and I could see it in the way he answered faster and faster.

The moment that turned it was a question from the ward manager: what would "one service" look
like on a Monday morning? There was a long pause. I counted about twelve seconds, which felt like
a minute, and I had to stop myself from filling it. When the presenter answered, it was the first
time he talked about what he wanted rather than what was wrong. He marked it as the question that
helped most, along with one about what he had not tried because it felt too risky.

In the process review a member said she had liked the silence after questions. I used that to
name what we had seen: that the best questions of the day had given the presenter time, and that
the advice had taken it away. I was pleased the observation came from the set rather than from
me.""",
    ),
    (
        68,
        "Impact on you and your confidence",
        "Supervision: why I rescue silences",
        "supervision, confidence, silence",
        None,
        "sketch",
        """Supervision with my tutor this week, mostly about meeting 1. I described the pause after
the Monday-morning question, and she asked me what I had felt in those twelve seconds. The honest
answer was that I felt responsible for it, as if a silence in the room were evidence that I was
not doing my job.

We talked about where that comes from. As a trainer, silence usually means I have lost the
group, or that the material is too hard, and my job is to rescue it. In a set, silence usually
means somebody is thinking. The presenter's silence belongs to the presenter. If I rescue it, I
take something from them.

I drew the sketch below on the train home: the cycle I want to practise, where the question is
followed by a pause that nobody fills, then the presenter's answer, and only then the next
question. The arrow I keep cutting short is the one from the question to the pause.

![My sketch: question, pause, answer, next question, drawn as a loop](IMAGE)

My confidence is lower than I expected at this stage, and in a useful way. I came into the
programme thinking the hard part would be managing difficult behaviour. So far the hard part is
managing my own helpfulness. My tutor suggested a practical experiment for the next meeting:
when a silence starts, breathe out slowly and look at my notes rather than at the presenter, so
that the set does not read my face as a signal to move on.""",
    ),
    (
        52,
        "Examples of facilitating and how you adapted the approach",
        "Aurora, meeting 2: slowing the questions down",
        "process, adapting, questioning",
        2,
        None,
        """I changed two things for meeting 2, and both came out of meeting 1.

First, I opened the questions stage with a short reminder rather than a lecture: "For the next
fifteen minutes, only questions that you don't know the answer to." I wrote it on a card and put
it in the middle of the table. It sounds obvious, but it gave the set a simple test to apply to
their own questions before asking them.

Second, I asked the presenter, the ward manager, whether she would like a few seconds of silence
after each question before answering. She said yes, and the set held to it remarkably well. The
pace of the round slowed down, and fewer questions were asked in the time, but the ones that
were asked were better.

The report-back at the start also worked better than I feared. The head of neighbourhood
services had done both of his actions, at least partly, and it was striking how the set listened
when he described meeting both team leaders together. I had worried that the report-back would
feel like being marked on homework. Framing it as "what happened, and what did you notice?"
rather than "did you do it?" seems to help.

The set drifted into advice twice during the questions, and once it was me: I asked whether the
discharge lounge opened at weekends, or nearly did, before catching myself and turning it into a
question about what she noticed in herself when a discharge slipped. In the process review, I
owned that slip openly, and the set agreed a change for next time: that we will catch ourselves,
and each other, kindly. I have put it at the top of my notes for meeting 3.

Five of the eight questions were open this time, against three in meeting 1.""",
    ),
    (
        44,
        "Questions and questioning",
        "Counting the questions",
        "questioning, evidence",
        None,
        "mix",
        """Revans captures the questions asked in the set, and the coach labels each one as open,
closed, leading or advice. The set sees the mix at the end of each meeting; nobody sees who asked
which. I was sceptical about this at first, because I did not want the set to feel watched. In
practice, the set treats it as a mirror rather than a score.

I drew the chart below from the first three meetings. The share of open questions has moved from
three in eight, to five in eight, to seven in eight. Advice questions fell away fastest; closed
questions take longer, and I think that is partly because some closed questions are genuinely
useful: a presenter sometimes needs to say a fact out loud to hear it.

![Question mix in Aurora's first three meetings: open questions rise from 3 of 8 to 7 of 8](IMAGE)

I need to be careful not to turn open questions into a target. A set that asks only open
questions can still be unhelpful if the questions are about the wrong thing, or if they are asked
to show cleverness rather than to help. The questions that presenters marked as powerful share
something beyond being open: they are short, they are about the presenter rather than the
problem, and they usually arrive after a pause.

The questions of my own that I want to keep asking are "What part of this is yours to change?"
and "What are you holding back from saying?". The one I want to stop asking is the clarifying
question I use to buy myself time when I do not know what to do next.""",
    ),
    (
        34,
        "What worked and the challenges",
        "What worked, and where I still get in the way",
        "challenges, attendance, time",
        None,
        None,
        """Half-way through Aurora's first three meetings, a stock-take.

What has worked: the circle and the empty chair; the ground rules in the set's own words,
which members now quote back to each other; the card in the middle of the table; and the silence
after questions, which has become a habit of the set rather than a rule I enforce. The
report-back has given the meetings a spine: people arrive knowing they will be asked what
happened, and most of them have done something.

The challenges are more about time and attendance than about behaviour. We have had apologies at
every meeting so far, and one member was simply absent at meeting 2 without a word. I followed
that up with a short, warm message rather than a reminder of the ground rules, and he came to
meeting 3 and presented. I think the warmth mattered more than the rule.

Time is harder. The one-hour format with one presenter is tight once check-in and report-back
have run. In meeting 3 the questions round felt rushed, and the set said so in the review. I
have agreed with them to add two minutes to the questions stage and take them from bidding,
which in a one-presenter format is short anyway.

Where I still get in the way: I summarise too much. At the end of the questions stage I tend to
offer the presenter a neat summary of what they have said, and I have noticed that the
presenter then agrees with my summary instead of making their own. My next experiment is to ask
the presenter to say what stood out for them, and to say nothing myself.""",
    ),
    (
        24,
        "Impact on you and your confidence",
        "Being observed",
        "observation, confidence, feedback",
        None,
        None,
        """My tutor observed Aurora's third meeting, with the set's agreement, as part of the
assessed practice for the certificate. I had been dreading it for weeks, and I want to record
honestly how it went and what it did to my confidence.

The night before, I over-prepared. I rewrote my opening twice, planned three possible
interventions for the questions stage, and printed the ground rules in a larger font. In the
meeting itself I used none of it. The presenter, the tenancy services manager, had been absent
from the previous meeting without a word, and he arrived visibly unsure whether he was still
welcome. My careful opening went out of the window; I simply said I was glad he was there, and
asked the set to start the check-in with him.

Having an observer in the corner changed how I felt, but less than I expected it to change what I
did. I noticed two moments where I wanted to perform: to ask a clever question so that the
observer would see I could. Both times I held back, and both times a member asked a better
question than the one I had in mind. One of them, about what he was holding back from saying to
the contractor, was mine in the end, and he marked it as powerful. I am glad it came late.

The feedback afterwards was more generous than I was being with myself. My tutor said the set
now does much of the facilitating itself, which is the point, and that my best intervention was
the smallest one: moving my chair back a few inches when the questions started, so that the
presenter looked at the set rather than at me. I had not noticed I did it.

She also named a habit I had not seen. When a question lands well, I nod. The set reads the nod
as approval, and the next few questions start to sound like the one I nodded at. It is a kind
of leading without words. I am going to try keeping my face still, which will not come easily to
me.

What this did to my confidence is hard to put simply. I feel less like a trainer pretending to be
a facilitator, and more like a facilitator who still has a trainer's habits. That feels like
progress. I also notice I am more curious than anxious about the next observation, which I would
not have predicted in the first month.""",
    ),
    (
        20,
        "Results",
        "Early results, for the set and for me",
        "results, outcomes",
        None,
        None,
        """It is early to talk about results, and I do not want to claim the set's achievements as
mine. But there are some things I can point to.

For the members: every presenter so far has left with actions they chose, and most of those
actions have been done or partly done by the next meeting. The head of neighbourhood services
has one rota across both teams from May. The ward manager mapped every delayed discharge on her
ward for two weeks, and found that most were waiting for care packages rather than anything on
the ward, which changed the conversation she was able to have with her own manager. These are
their results; what I can say is that the set gave them a place to decide and then to account for
it.

For the set as a group: the question mix has moved from mostly advice to mostly open, and the
process reviews have become more honest. In meeting 2 the set itself named that it had drifted
into advice, and agreed what to do about it.

For me: I am intervening less and later, and when I do intervene it is more often to ask the set
a question about its process than to redirect a member. My tutor noticed that my notes from
meeting 3 are about what I saw rather than what I did, which she says is a sign that I am
watching the set rather than myself.

What I would like to measure more carefully in the second half is whether members use the
questioning outside the set. Two have mentioned trying open questions in their own team
meetings.""",
    ),
    (
        9,
        "Looking ahead",
        "Looking ahead to the second half",
        "planning, self-facilitation",
        None,
        None,
        """Three meetings remain for Aurora. The set has asked whether it can carry on after the
programme ends, which I take as a good sign and also as a responsibility: if the set is to run
itself, I need to start handing the process over now rather than at the last meeting.

My plan is to share the chair. At meeting 4 one member will time-keep and run the bidding; at
meeting 5 a member will facilitate the questions stage with me beside them; at meeting 6 the set
will run the whole meeting and I will observe and lead the final review. I will need to resist
stepping in when it goes less smoothly than it would with me in the chair.

For my own development, I want to co-facilitate a second set, ideally an online one, because I
have only worked in the room so far and I suspect the silences feel very different on a video
call. Gus has offered me a place alongside him with Beacon.

I also want to keep writing this log regularly rather than in bursts, and to bring more of my
own feelings into it, not only what happened. My assessor's comment on the first meeting entry,
asking what I would have done if the silence had gone on for a minute, is a good prompt for my
next supervision.""",
    ),
]

ASA_COMMENT = (
    "A thoughtful account of the first meeting, Fran, and good evidence of reflection in action. "
    "You describe letting the advice run and then naming it in the review. What would you have "
    "done if the silence had lasted a full minute? It would be useful to show, in a later entry, "
    "how your interventions changed across the three meetings."
)

MO_LEARNED = (
    "Hearing the ward manager's problem made me see my own rota problem differently: I have been "
    "trying to fix it for the teams instead of asking them what one service means to them.\n\n"
)


def unwrap(text: str) -> str:
    """One line per paragraph, as people type in the editor (the source wraps for reading);
    a paragraph holding a list, heading, quote or image keeps its lines."""
    block = re.compile(r"^([#>!*-]|\d+\. )")
    return "\n\n".join(
        paragraph
        if any(block.match(line) for line in paragraph.splitlines())
        else " ".join(line.strip() for line in paragraph.splitlines())
        for paragraph in text.split("\n\n")
    )


def _font(size: int):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _wobbly_line(draw, start, end, rng, fill, width=3) -> None:
    """A line that looks drawn by hand: a few small wobbles along the way."""
    (x0, y0), (x1, y1) = start, end
    steps = max(2, int(math.dist(start, end) // 18))
    points = [
        (
            x0 + (x1 - x0) * i / steps + (rng.uniform(-1.5, 1.5) if 0 < i < steps else 0),
            y0 + (y1 - y0) * i / steps + (rng.uniform(-1.5, 1.5) if 0 < i < steps else 0),
        )
        for i in range(steps + 1)
    ]
    draw.line(points, fill=fill, width=width, joint="curve")


def seating_plan() -> bytes:
    """A hand-drawn-looking seating plan: seven chairs round a table, an empty chair by the
    presenter, the facilitator at the side."""
    from PIL import Image, ImageDraw

    rng = random.Random(7)
    ink, pencil = (36, 52, 84), (120, 130, 150)
    image = Image.new("RGB", (900, 620), (252, 250, 244))
    draw = ImageDraw.Draw(image)
    draw.text((40, 28), "Aurora: how we sit", font=_font(34), fill=ink)
    cx, cy, r = 450, 340, 200
    circle = [
        (
            cx + (r - 70) * math.cos(a / 40 * 2 * math.pi),
            cy + (r - 110) * math.sin(a / 40 * 2 * math.pi),
        )
        for a in range(41)
    ]
    for a, b in itertools.pairwise(circle):
        _wobbly_line(draw, a, b, rng, pencil, 4)
    draw.text((cx - 40, cy - 14), "tables", font=_font(24), fill=pencil)
    seats = [
        "Presenter",
        "(empty)",
        "Member",
        "Facilitator",
        "Member",
        "Member",
        "Member",
        "Member",
    ]
    for index, label in enumerate(seats):
        angle = -math.pi / 2 + index * 2 * math.pi / len(seats)
        x, y = cx + (r + 40) * math.cos(angle), cy + (r - 20) * math.sin(angle)
        box = [x - 34, y - 24, x + 34, y + 24]
        dashed = label == "(empty)"
        colour = (
            (196, 92, 60)
            if label == "Presenter"
            else (46, 125, 105)
            if label == "Facilitator"
            else ink
        )
        if dashed:
            for i in range(0, 68, 12):
                draw.line([box[0] + i, box[1], box[0] + i + 6, box[1]], fill=pencil, width=3)
                draw.line([box[0] + i, box[3], box[0] + i + 6, box[3]], fill=pencil, width=3)
        else:
            draw.rounded_rectangle(box, radius=10, outline=colour, width=4)
        font = _font(20)
        width = draw.textlength(label, font=font)
        draw.text((x - width / 2, y + 30), label, font=font, fill=colour if not dashed else pencil)
    draw.text(
        (40, 570),
        "Facilitator on the side, not at the head. The empty chair sits with the presenter.",
        font=_font(20),
        fill=pencil,
    )
    return _png(image)


def question_mix_chart() -> bytes:
    """Aurora's question mix over its first three meetings, as stacked bars."""
    from PIL import Image, ImageDraw

    ink, grid = (36, 52, 84), (214, 218, 226)
    colours = {
        "open": (46, 125, 105),
        "closed": (120, 130, 150),
        "leading": (214, 160, 60),
        "advice": (196, 92, 60),
    }
    data = [
        ("Meeting 1", {"open": 3, "closed": 2, "leading": 1, "advice": 2}),
        ("Meeting 2", {"open": 5, "closed": 1, "leading": 1, "advice": 1}),
        ("Meeting 3", {"open": 7, "closed": 1, "leading": 0, "advice": 0}),
    ]
    image = Image.new("RGB", (900, 560), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((40, 26), "Questions in Aurora, by kind", font=_font(32), fill=ink)
    left, bottom, unit, bar = 120, 470, 42, 130
    for n in range(9):
        y = bottom - n * unit
        draw.line([left, y, 780, y], fill=grid, width=1)
        draw.text((left - 34, y - 11), str(n), font=_font(18), fill=ink)
    for index, (label, counts) in enumerate(data):
        x = left + 40 + index * 210
        y = bottom
        for kind, count in counts.items():
            if count:
                draw.rectangle([x, y - count * unit, x + bar, y], fill=colours[kind])
                y -= count * unit
        font = _font(20)
        draw.text(
            (x + (bar - draw.textlength(label, font=font)) / 2, bottom + 12),
            label,
            font=font,
            fill=ink,
        )
        share = f"{counts['open']} of 8 open"
        draw.text(
            (x + (bar - draw.textlength(share, font=font)) / 2, y - 30), share, font=font, fill=ink
        )
    for index, (kind, colour) in enumerate(colours.items()):
        y = 130 + index * 40
        draw.rectangle([800, y, 824, y + 24], fill=colour)
        draw.text((832, y), kind, font=_font(20), fill=ink)
    return _png(image)


def sketch() -> bytes:
    """A loose sketch as drawn on the sketch pad: question → pause → answer → next question."""
    from PIL import Image, ImageDraw

    rng = random.Random(3)
    ink = (30, 30, 30)
    image = Image.new("RGB", (800, 520), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    nodes = [
        ("question", (400, 90)),
        ("pause", (650, 260)),
        ("answer", (400, 430)),
        ("next question", (150, 260)),
    ]
    for label, (x, y) in nodes:
        points = [
            (
                x + 95 * math.cos(t / 24 * 2 * math.pi) + rng.uniform(-3, 3),
                y + 45 * math.sin(t / 24 * 2 * math.pi) + rng.uniform(-3, 3),
            )
            for t in range(26)
        ]
        draw.line(points, fill=ink, width=4, joint="curve")
        font = _font(26)
        draw.text((x - draw.textlength(label, font=font) / 2, y - 15), label, font=font, fill=ink)
    for (_, a), (_, b) in zip(nodes, nodes[1:] + nodes[:1], strict=True):
        mid = ((a[0] + b[0]) / 2 + (b[1] - a[1]) * 0.12, (a[1] + b[1]) / 2 - (b[0] - a[0]) * 0.12)
        start = (a[0] + (mid[0] - a[0]) * 0.45, a[1] + (mid[1] - a[1]) * 0.45)
        end = (b[0] + (mid[0] - b[0]) * 0.45, b[1] + (mid[1] - b[1]) * 0.45)
        _wobbly_line(draw, start, mid, rng, ink, 4)
        _wobbly_line(draw, mid, end, rng, ink, 4)
        angle = math.atan2(end[1] - mid[1], end[0] - mid[0])
        for side in (-0.5, 0.5):
            tip = (end[0] - 22 * math.cos(angle + side), end[1] - 22 * math.sin(angle + side))
            draw.line([end, tip], fill=ink, width=4)
    draw.text((300, 240), "don't fill it!", font=_font(28), fill=(196, 60, 60))
    return _png(image)


IMAGES = {
    "seating": (Attachment.Kind.IMAGE, seating_plan, "Seating plan for Aurora"),
    "mix": (Attachment.Kind.IMAGE, question_mix_chart, "Question mix in Aurora's first meetings"),
    "sketch": (Attachment.Kind.SKETCH, sketch, "Sketch: question, pause, answer, next question"),
}


def _attach(entry: Entry, key: str) -> Attachment:
    kind, draw, description = IMAGES[key]
    data = draw()
    from PIL import Image

    width, height = Image.open(io.BytesIO(data)).size
    attachment = Attachment(
        entry=entry,
        kind=kind,
        content_type="image/png",
        size=len(data),
        width=width,
        height=height,
        description=description,
    )
    attachment.file.save(f"{key}.png", ContentFile(data), save=False)
    attachment.save()
    return attachment


def load_fran_log(fran, asa) -> Log | None:
    """Fran's ILM facilitator log, four months into nine, shared with Asa; once only."""
    if Log.objects.filter(owner=fran, template=ILM).exists():
        return None
    template = log_templates()[ILM]
    today = timezone.localdate()
    started = add_months(today, -4)
    log = Log.objects.create(
        owner=fran,
        title="ILM facilitator log",
        purpose=template.purpose,
        template=ILM,
        sections=list(template.sections),
        started_on=started,
        period_months=template.period_months,
        words_min=template.words_min,
        words_max=template.words_max,
    )
    meetings = {
        m.number: m
        for m in meetings_for_log(fran).filter(set__name="Aurora", status=Meeting.Status.CLOSED)
    }
    commented = None
    for days, section, title, tags, number, image, body in FRAN_ENTRIES:
        entry = Entry.objects.create(
            log=log,
            title=title,
            entry_date=today - timedelta(days=days),
            section=section,
            tags=tags,
            meeting=meetings.get(number) if number else None,
            prompt_set=ILM,
            draft=False,
            body=unwrap(body),
        )
        if image:
            attachment = _attach(entry, image)
            entry.body = entry.body.replace("(IMAGE)", f"({attachment.get_absolute_url()})")
            entry.save(update_fields=["body"])
        if number == 1:
            commented = entry
    share = Share(
        log=log,
        email=asa.email,
        user=asa,
        role=ShareRole.ASSESSOR,
        accepted_at=timezone.now() - timedelta(days=30),
    )
    share.new_token()  # the link was used: only its hash is kept, and it is accepted
    share.save()
    if commented is not None:
        Comment.objects.create(entry=commented, author=asa, body=ASA_COMMENT)
    return log


def load_mo_journal(mo) -> Entry | None:
    """Mo's set journal: one entry started with "Add to my log" after Aurora's meeting 2."""
    if Log.objects.filter(owner=mo).exists():
        return None
    meeting = (
        meetings_for_log(mo)
        .filter(set__name="Aurora", number=2, status=Meeting.Status.CLOSED)
        .select_related("set")
        .first()
    )
    if meeting is None:
        return None
    entry = do_add_meeting_to_log(mo, meeting, None)
    heading = "## What did I learn?\n\n"
    entry.body = entry.body.replace(heading, heading + MO_LEARNED, 1)
    entry.draft = False
    entry.save()
    return entry
