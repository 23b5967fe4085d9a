"""How long a whole learning log takes to export, against writing its text alone in the same run.

    .venv/bin/python bench/journal_export.py [--words 7000] [--images 10] [--repeat 5]

Builds, in a throwaway SQLite database, an ILM facilitator log of ``--words`` words in 20
entries across its seven sections, with ``--images`` pictures (1200 × 900, half JPEG photos,
half PNG drawings, made with Pillow) placed in the entries' text, and times the Word and PDF
exports of the whole log (the median of ``--repeat`` runs each, everything from the database
query to the finished bytes). Two baselines from the same run: the same log's text written as a
plain .txt (the floor: a query and a join), and the same exports with no images (what the
pictures cost). Prints one JSON line.
"""

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

os.environ["REVANS_MODE"] = "demo"
os.environ["REVANS_DATA_DIR"] = tempfile.mkdtemp(prefix="revans-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "revans.settings"
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image, ImageDraw, ImageFilter

from revans.accounts.models import User
from revans.journal.export import export_log
from revans.journal.markdown import plain_text
from revans.journal.models import Attachment, Entry, Log
from revans.journal.prompts import log_templates

ENTRIES = 20
WORDS = [
    "set", "question", "silence", "presenter", "issue", "action", "learning", "listened",
    "noticed", "asked", "open", "reflection", "confidence", "challenge", "practice", "member",
    "facilitator", "meeting", "change", "adapted", "airtime", "powerful", "wondered", "felt",
    "realised", "group", "trust", "commitment", "week", "report", "progress",
]  # fmt: skip


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def body(rng: random.Random, words: int, image_ids: list[int]) -> str:
    """About ``words`` words of Markdown: paragraphs, a heading, a list, a quote, emphasis."""
    parts, count = [], 0
    while count < words:
        kind = rng.random()
        if kind < 0.1:
            text = f"## {sentence(rng, 4)[:-1]}"
            count += 4
        elif kind < 0.2:
            text = "\n".join(f"- {sentence(rng, 8)}" for _ in range(3))
            count += 24
        elif kind < 0.27:
            text = f"> {sentence(rng, 20)}"
            count += 20
        else:
            text = " ".join(sentence(rng, rng.randint(10, 18)) for _ in range(4))
            text = text.replace(" question ", " **question** ").replace(" felt ", " *felt* ")
            count += len(text.split())
        parts.append(text)
        if image_ids and len(parts) == 3:
            image_id = image_ids.pop()
            parts.append(f"![Picture {image_id}](/journal/attachments/{image_id}/)")
    return "\n\n".join(parts)


def picture(rng: random.Random, index: int) -> tuple[bytes, str]:
    """A 1200 × 900 picture: a noisy "photo" as JPEG, or a flat drawing as PNG."""
    if index % 2 == 0:
        image = Image.effect_noise((1200, 900), 60).convert("RGB")
        image = Image.blend(image, Image.new("RGB", image.size, (70, 120, 180)), 0.5)
        image = image.filter(ImageFilter.GaussianBlur(1))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        return out.getvalue(), "image/jpeg"
    image = Image.new("RGB", (1200, 900), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(1200), rng.randrange(900)
        draw.line((x, y, x + rng.randint(-300, 300), y + rng.randint(-300, 300)), "black", 6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), "image/png"


def build(words: int, images: int, title: str) -> Log:
    rng = random.Random(6)
    template = log_templates()["ilm-facilitator-log"]
    owner, _ = User.objects.get_or_create(
        email="bench@bench.test", defaults={"display_name": "Bench Facilitator"}
    )
    log = Log.objects.create(
        owner=owner,
        title=title,
        purpose="Why I used action learning, and how my facilitating changed.",
        template=template.slug,
        sections=list(template.sections),
        started_on=date(2026, 1, 5),
    )
    entries = [
        Entry.objects.create(
            log=log,
            title=f"Entry {n + 1}",
            entry_date=date(2026, 1, 5) + timedelta(days=9 * n),
            section=log.sections[n % len(log.sections)],
            draft=False,
        )
        for n in range(ENTRIES)
    ]
    per_entry: dict[int, list[int]] = {entry.pk: [] for entry in entries}
    for n in range(images):
        entry = entries[n * ENTRIES // max(images, 1)]
        data, content_type = picture(rng, n)
        attachment = Attachment(
            entry=entry,
            kind="image",
            content_type=content_type,
            size=len(data),
            width=1200,
            height=900,
            description=f"Picture {n + 1}",
        )
        attachment.file.save("picture", ContentFile(data), save=False)
        attachment.save()
        per_entry[entry.pk].append(attachment.pk)
    for entry in entries:
        entry.body = body(rng, words // ENTRIES - 30, per_entry[entry.pk])  # a paragraph over
        entry.save()
    return log


def as_text(log: Log) -> bytes:
    """The baseline: the log's entries as plain text, as a .txt download would be."""
    parts = [log.title]
    for entry in log.entries.filter(draft=False).order_by("entry_date", "created_at"):
        parts += [entry.title, plain_text(entry.body)]
    return "\n\n".join(parts).encode()


def median_ms(make, repeat: int) -> tuple[float, int]:
    make()  # warm imports and caches
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(make())
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=7000)
    parser.add_argument("--images", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    log = build(args.words, args.images, "Bench log")
    plain = build(args.words, 0, "Bench log without images")
    words = sum(e.word_count for e in log.entries.all())

    figures: dict = {"words": words, "entries": ENTRIES, "images": args.images}
    figures["txt_ms"], _ = median_ms(lambda: as_text(log), args.repeat)
    for fmt in ("docx", "pdf"):
        ms, size = median_ms(lambda fmt=fmt: export_log(log, fmt), args.repeat)
        plain_ms, _ = median_ms(lambda fmt=fmt: export_log(plain, fmt), args.repeat)
        figures[f"{fmt}_ms"], figures[f"{fmt}_kb"] = ms, round(size / 1024)
        figures[f"{fmt}_no_images_ms"] = plain_ms
    print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
