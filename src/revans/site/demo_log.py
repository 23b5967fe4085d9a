"""Demo learning logs: Fran's ILM facilitator log, half-way through its nine months and shared
with her assessor Asa, and Mo's set journal, started from a meeting. The words are data
(``site/data/demo_log.toml``); the images are drawn with Pillow as the demo loads, so no binary
files ship with the code.

Called by ``revans.site.demo.load_demo``; loading twice changes nothing.
"""

import io
import itertools
import math
import random
import re
import tomllib
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from revans.journal.models import (
    Attachment,
    Comment,
    Entry,
    Log,
    Share,
    ShareRole,
    add_months,
    meetings_for_log,
)
from revans.journal.prompts import log_templates
from revans.journal.reflect import do_add_meeting_to_log
from revans.meetings.models import Meeting

ILM = "ilm-facilitator-log"
WORDS = Path(__file__).with_name("data") / "demo_log.toml"


@cache
def words() -> dict[str, Any]:
    """The logs' words: ``fran_entries`` (days ago, section, title, tags, Aurora's meeting
    number, image key, body), ``asa_comment`` and ``mo_learned``."""
    with WORDS.open("rb") as file:
        return tomllib.load(file)


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


@cache  # drawn the same each time: once per process
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


@cache  # drawn the same each time: once per process
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


@cache  # drawn the same each time: once per process
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
    for written in words()["fran_entries"]:
        number, image = written.get("meeting"), written.get("image")
        entry = Entry.objects.create(
            log=log,
            title=written["title"],
            entry_date=today - timedelta(days=written["days_ago"]),
            section=written["section"],
            tags=written["tags"],
            meeting=meetings.get(number) if number else None,
            prompt_set=ILM,
            draft=False,
            body=unwrap(written["body"].rstrip("\n")),
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
        Comment.objects.create(entry=commented, author=asa, body=words()["asa_comment"].strip())
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
    entry.body = entry.body.replace(heading, heading + words()["mo_learned"], 1)
    entry.draft = False
    entry.save()
    return entry
