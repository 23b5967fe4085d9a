"""A learning log, or one entry, as a Word document (python-docx) or a PDF (fpdf2).

Both are written from the same plan: a cover (whose log, its purpose, period, words against the
target), then the log's sections in its own order with their entries oldest first, each entry's
Markdown turned into paragraphs, headings, lists and quotes by walking markdown-it-py's tokens
(no HTML is made or read on the way), and its images placed where the text shows them, read
from the attachments' own files (never fetched from anywhere). A whole log leaves drafts out.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.db.models import Prefetch
from django.utils import dateformat, timezone
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError

from revans.core.pdf import MONO, SANS, pdf_class, pdf_text

from .markdown import _parser, is_attachment_url
from .models import Attachment, Entry, Log

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
OTHER_ENTRIES = "Other entries"
DRAFTS_LEFT_OUT = "Drafts are not included."
ATTACHMENT_ID = re.compile(r"/(\d+)/?$")
MEDIA_NAMES: dict[str, str] = {
    Attachment.Kind.AUDIO: "Audio diary",
    Attachment.Kind.VIDEO: "Video diary",
}
# Controls other than tab and newline cannot be written into a .docx (XML 1.0 forbids them).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class NothingToExport(Exception):
    """The log has no saved entries: there would be nothing but a cover."""


# --- the plan both formats are written from --------------------------------------------------


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    href: str = ""


@dataclass
class Para:
    """A paragraph: ``kind`` is text, heading (``level`` 1–4 inside an entry), item (``level``
    is the list depth, ``marker`` its bullet or number), code, row (of a table) or note."""

    kind: str
    runs: list[Run]
    level: int = 0
    marker: str = ""
    quote: int = 0


@dataclass
class Picture:
    attachment: Attachment
    caption: str = ""


@dataclass
class Rule:
    pass


Block = Para | Picture | Rule


@dataclass
class EntryPlan:
    title: str
    meta: list[str]
    tags: list[str]
    blocks: list[Block]


@dataclass
class Plan:
    title: str
    owner: str
    cover: list[tuple[str, str]]
    purpose: str
    groups: list[tuple[str, list[EntryPlan]]]
    notes: list[str] = field(default_factory=list)
    single: bool = False


def clean_text(text: str) -> str:
    return _CONTROLS.sub("", unicodedata.normalize("NFC", str(text)))


def long_date(day: date) -> str:
    return dateformat.format(day, "j F Y")


def duration_text(seconds: int | None) -> str:
    """``200`` → ``"3 min 20 s"``; ``3720`` → ``"1 h 2 min"``."""
    if not seconds:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def media_line(attachment: Attachment) -> str:
    """``"Audio diary, 3 min 20 s"`` (and what it is about, if the author said)."""
    text = MEDIA_NAMES.get(attachment.kind, "Recording")
    if attachment.duration_seconds:
        text += f", {duration_text(attachment.duration_seconds)}"
    if attachment.description:
        text += f": {attachment.description}"
    return text


def body_blocks(body: str, images: dict[int, Attachment], used: set[int]) -> list[Block]:
    """An entry's Markdown as blocks. ``images`` are the entry's own images by id: only those
    are placed (an image from elsewhere becomes its description); their ids go into ``used``."""
    blocks: list[Block] = []
    lists: list[list] = []  # [ordered, count] per open list
    quote = heading = 0
    marker = ""
    cells: list[list[Run]] | None = None
    row: list[list[Run]] = []
    header_row = False
    for token in _parser().parse(body or ""):
        kind = token.type
        if kind == "heading_open":
            heading = int(token.tag[1])
        elif kind == "heading_close":
            heading = 0
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 1
            lists.append([kind == "ordered_list_open", start - 1])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            lists[-1][1] += 1
            ordered, count = lists[-1]
            marker = f"{count}." if ordered else "•-◦"[(len(lists) - 1) % 3]
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "thead_open":
            header_row = True
        elif kind == "thead_close":
            header_row = False
        elif kind == "tr_open":
            row = []
        elif kind in ("th_open", "td_open"):
            cells = row
        elif kind in ("th_close", "td_close"):
            cells = None
        elif kind == "tr_close":
            runs: list[Run] = []
            for number, cell in enumerate(row):
                if number:
                    runs.append(Run("  |  "))
                runs.extend(Run(r.text, bold=header_row or r.bold, italic=r.italic) for r in cell)
            blocks.append(Para("row", runs, quote=quote))
        elif kind == "inline":
            if cells is not None:
                cells.append(
                    [r for r in _inline(token.children or [], {}, set()) if isinstance(r, Run)]
                )
                continue
            pieces = _inline(token.children or [], images, used)
            para_kind, level = "text", 0
            if heading:
                para_kind, level = "heading", heading
            elif lists:
                para_kind, level = "item", len(lists)
            current: list[Run] = []
            for piece in [*pieces, None]:
                if isinstance(piece, Run):
                    current.append(piece)
                    continue
                if any(r.text.strip() for r in current):
                    blocks.append(Para(para_kind, merge_runs(current), level, marker, quote))
                    marker = ""  # the item's later paragraphs line up under its first
                current = []
                if isinstance(piece, Picture):
                    blocks.append(piece)
        elif kind in ("fence", "code_block"):
            text = token.content.rstrip("\n")
            blocks.append(Para("code", [Run(text, code=True)], len(lists), quote=quote))
        elif kind == "hr":
            blocks.append(Rule())
    return blocks


def merge_runs(runs: list[Run]) -> list[Run]:
    """Neighbouring runs of the same style as one (markdown-it splits text at line ends)."""
    merged: list[Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.strike, last.code, last.href) == (
            run.bold,
            run.italic,
            run.strike,
            run.code,
            run.href,
        ):
            last.text += run.text
        else:
            merged.append(Run(run.text, run.bold, run.italic, run.strike, run.code, run.href))
    return merged


def _inline(children, images: dict[int, Attachment], used: set[int]) -> list[Run | Picture]:
    out: list[Run | Picture] = []
    bold = italic = strike = 0
    href = ""
    for child in children:
        kind = child.type
        if kind == "text":
            out.append(Run(child.content, bold > 0, italic > 0, strike > 0, href=href))
        elif kind == "code_inline":
            out.append(Run(child.content, bold > 0, italic > 0, code=True, href=href))
        elif kind == "softbreak":
            out.append(Run(" "))
        elif kind == "hardbreak":
            out.append(Run("\n"))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "s_open":
            strike += 1
        elif kind == "s_close":
            strike -= 1
        elif kind == "link_open":
            # markdown-it has already refused unsafe schemes; only outside links stay links.
            target = child.attrGet("href") or ""
            href = target if re.match(r"^(https?:|mailto:)", target, re.I) else ""
        elif kind == "link_close":
            href = ""
        elif kind == "image":
            alt = "".join(c.content for c in child.children or [] if c.type == "text")
            src = child.attrGet("src") or ""
            found = ATTACHMENT_ID.search(src) if is_attachment_url(src) else None
            attachment = images.get(int(found.group(1))) if found else None
            if attachment is not None:
                used.add(attachment.pk)
                out.append(Picture(attachment, alt or attachment.description))
            else:
                out.append(Run(f"[image: {alt or 'no description'}]", italic=True))
    return out


def entry_plan(entry: Entry, with_draft_mark: bool = False) -> EntryPlan:
    attachments = list(entry.attachments.all())
    images = {a.pk: a for a in attachments if a.is_image}
    used: set[int] = set()
    blocks = body_blocks(entry.body, images, used)
    # Images and sketches the text does not show follow it, then the recordings.
    blocks += [Picture(a, a.description) for a in images.values() if a.pk not in used]
    blocks += [
        Para("note", [Run(media_line(a), italic=True)]) for a in attachments if not a.is_image
    ]
    meta = [long_date(entry.entry_date)]
    if entry.meeting_id and entry.meeting:
        meta.append(f"Set {entry.meeting.set.name}, meeting {entry.meeting.number}")
    if with_draft_mark and entry.draft:
        meta.append("Draft")
    return EntryPlan(str(entry), meta, entry.tag_list, blocks)


def _entries(log: Log):
    attachments = Prefetch("attachments", queryset=Attachment.objects.order_by("created_at"))
    return (
        log.entries.filter(draft=False)
        .select_related("meeting__set")
        .prefetch_related(attachments)
        .order_by("entry_date", "created_at")
    )


def log_plan(log: Log) -> Plan:
    """The whole log, drafts left out. Raises ``NothingToExport`` if it has no saved entries."""
    entries = list(_entries(log))
    if not entries:
        raise NothingToExport(
            f"“{log.title}” has no saved entries to export yet (drafts are not exported)."
        )
    groups: dict[str, list[EntryPlan]] = {title: [] for title in log.sections}
    loose: list[EntryPlan] = []
    for entry in entries:
        groups.get(entry.section, loose).append(entry_plan(entry))
    rows = list(groups.items())
    if loose:
        rows.append((OTHER_ENTRIES if log.sections else "Entries", loose))
    words = sum(entry.word_count for entry in entries)
    seconds = sum(entry.media_seconds for entry in entries)
    cover = [
        ("Written by", log.owner.display_name),
        (
            "Period",
            f"{long_date(log.started_on)} – {long_date(log.ends_on)} "
            f"({log.period_months} month{'s' if log.period_months != 1 else ''})",
        ),
        ("Words", f"{words:,} (target {log.words_min:,}–{log.words_max:,})"),
        ("Entries", f"{len(entries)}"),
    ]
    if seconds:
        minutes = max(round(seconds / 60), 1)
        cover.append(("Audio and video", f"{minutes} minute{'s' if minutes != 1 else ''}"))
    cover.append(("Exported", long_date(timezone.localdate())))
    return Plan(
        title=log.title,
        owner=log.owner.display_name,
        cover=cover,
        purpose=log.purpose,
        groups=rows,
        notes=[DRAFTS_LEFT_OUT],
    )


def single_plan(entry: Entry) -> Plan:
    """One entry, with a short heading of whose log it is from instead of a cover page."""
    log = entry.log
    plan = entry_plan(entry, with_draft_mark=True)
    cover = [
        ("Written by", log.owner.display_name),
        ("From the log", log.title),
        ("Words", f"{entry.word_count:,}"),
    ]
    if entry.section:
        cover.append(("Section", entry.section))
    cover.append(("Exported", long_date(timezone.localdate())))
    return Plan(log.title, log.owner.display_name, cover, "", [("", [plan])], single=True)


# --- reading the images ----------------------------------------------------------------------


@dataclass
class Img:
    data: bytes
    width: int
    height: int


def read_image(attachment: Attachment) -> Img | None:
    """The attachment's picture as PNG or JPEG bytes with its size; None if the file is gone or
    unreadable (the document says so instead of failing)."""
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if image.format in ("PNG", "JPEG"):
                return Img(data, width, height)
            # WebP and GIF (its first frame): re-encoded, as Word and the PDF take PNG.
            frame = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
            out = io.BytesIO()
            frame.save(out, "PNG")
            return Img(out.getvalue(), width, height)
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return None


def missing_image(picture: Picture) -> str:
    return f"[image not available: {picture.caption or 'no description'}]"


# --- Word ------------------------------------------------------------------------------------


def to_docx(plan: Plan) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    doc.core_properties.title = clean_text(plan.title)
    doc.core_properties.author = clean_text(plan.owner)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    section = doc.sections[0]
    page_width, margin = Cm(21), Cm(2.2)
    section.page_height, section.page_width = Cm(29.7), page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, margin)
    content_width = page_width - 2 * margin
    max_height = Cm(20)
    grey = RGBColor(0x5A, 0x62, 0x70)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")

    # The cover.
    if plan.single:
        meta = doc.add_paragraph(style="Subtitle")
        meta.add_run(clean_text(f"{plan.title} · {plan.owner}"))
    else:
        doc.add_paragraph(clean_text(plan.title), style="Title")
        doc.add_paragraph(clean_text(plan.owner), style="Subtitle")
        if plan.purpose:
            for line in clean_text(plan.purpose).split("\n\n"):
                doc.add_paragraph(line.strip())
        for label, value in plan.cover:
            p = doc.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(clean_text(value))
        for note in plan.notes:
            doc.add_paragraph().add_run(note).italic = True
        doc.add_page_break()

    def add_runs(paragraph, runs: list[Run]) -> None:
        for run in runs:
            text = clean_text(run.text)
            if run.href:
                _hyperlink(paragraph, text, clean_text(run.href), run.bold, run.italic)
                continue
            r = paragraph.add_run(text)
            r.bold, r.italic = run.bold or None, run.italic or None
            if run.strike:
                r.font.strike = True
            if run.code:
                r.font.name = "Courier New"

    for title, entries in plan.groups:
        if title:
            doc.add_heading(clean_text(title), level=1)
        for entry in entries:
            doc.add_heading(clean_text(entry.title), level=1 if plan.single else 2)
            meta = doc.add_paragraph()
            line = " · ".join(entry.meta)
            if entry.tags:
                line += " · Tags: " + ", ".join(entry.tags)
            run = meta.add_run(clean_text(line))
            run.italic, run.font.color.rgb, run.font.size = True, grey, Pt(9.5)
            if plan.single:
                for label, value in plan.cover:
                    run = meta.add_run(clean_text(f"\n{label}: {value}"))
                    run.font.color.rgb, run.font.size = grey, Pt(9.5)
            for block in entry.blocks:
                if isinstance(block, Rule):
                    doc.add_paragraph("* * *").alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif isinstance(block, Picture):
                    image = read_image(block.attachment)
                    if image is None:
                        doc.add_paragraph().add_run(missing_image(block)).italic = True
                        continue
                    width = content_width
                    if width * image.height / image.width > max_height:
                        width = int(max_height * image.width / image.height)
                    doc.add_picture(io.BytesIO(image.data), width=width)
                    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                    if block.caption:
                        caption = doc.add_paragraph(clean_text(block.caption), style="Caption")
                        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif block.kind == "heading":
                    base = 1 if plan.single else 2
                    heading = doc.add_heading(level=min(base + block.level, 6))
                    add_runs(heading, block.runs)
                elif block.kind == "item" and not block.marker.endswith(".") and block.marker:
                    style = "List Bullet" + ("" if block.level == 1 else f" {min(block.level, 3)}")
                    add_runs(doc.add_paragraph(style=style), block.runs)
                else:
                    p = doc.add_paragraph(style="Quote" if block.quote else None)
                    indent = Cm(0.75 * block.level)
                    if block.kind == "item":
                        p.paragraph_format.left_indent = indent + Cm(0.63)
                        if block.marker:
                            p.paragraph_format.first_line_indent = Cm(-0.63)
                            p.add_run(f"{block.marker}\u00a0")
                    elif block.kind == "code":
                        p.paragraph_format.left_indent = indent + Cm(0.5)
                    add_runs(p, block.runs)
                    if block.kind == "code":
                        for r in p.runs:
                            r.font.name, r.font.size = "Courier New", Pt(9.5)
                    elif block.kind == "note":
                        p.runs[0].font.color.rgb = grey
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader's word processor fills in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (
        ("begin", None),
        ("instr", code),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _hyperlink(paragraph, text: str, url: str, bold: bool, italic: bool) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    run.underline = True
    run.font.color.rgb = RGBColor(0x1F, 0x4E, 0xA8)
    link.append(run._r)
    paragraph._p.append(link)


# --- PDF -------------------------------------------------------------------------------------

MARGIN = 20  # mm
LINE = 5.6  # mm between lines of body text


def to_pdf(plan: Plan) -> bytes:
    pdf = _pdf_class()(format="A4")  # fonts for every script, as the meeting summary
    pdf.set_title(pdf_text(plan.title))
    pdf.set_author(pdf_text(plan.owner))
    pdf.set_creator("Revans")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_page()
    ink, grey, blue = (29, 36, 51), (90, 98, 112), (31, 78, 168)
    width = pdf.w - 2 * MARGIN

    def text(value: str) -> str:
        return pdf_text(value)

    def heading(value: str, size: float, space: float = 4) -> None:
        # Keep a heading with at least a few lines of what follows it.
        if pdf.get_y() + size + 4 * LINE > pdf.page_break_trigger:
            pdf.add_page()
        pdf.ln(space)
        pdf.set_font(SANS, "B", size)
        pdf.set_text_color(*ink)
        pdf.multi_cell(0, size * 0.5, text(value), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def write_runs(runs: list[Run], size: float = 11, color=ink, italic_all=False) -> None:
        for run in runs:
            style = ("B" if run.bold else "") + ("I" if run.italic or italic_all else "")
            if run.href:
                style += "U"
            if run.code:  # the monospaced font has one style: only a link's underline stays
                pdf.set_font(MONO, "U" if run.href else "", size)
            else:
                pdf.set_font(SANS, style, size)
            pdf.set_text_color(*(blue if run.href else color))
            value = text(run.text)
            # A run that starts mid-line with a word too long for what is left of the line
            # goes to the next line whole (fpdf2 would split the word there).
            first = re.match(r"\S+", value)
            room = pdf.w - pdf.r_margin - pdf.get_x()
            if first and pdf.get_x() > pdf.l_margin + 0.5 and pdf.get_string_width(first[0]) > room:
                pdf.ln(LINE)
            pdf.write(LINE, value, link=run.href or "")
        pdf.ln(LINE)

    # The cover.
    if plan.single:
        pdf.set_font(SANS, "", 10)
        pdf.set_text_color(*grey)
        pdf.multi_cell(0, 5, text(f"{plan.title} · {plan.owner}"), new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.ln(40)
        pdf.set_font(SANS, "B", 26)
        pdf.set_text_color(*ink)
        pdf.multi_cell(0, 12, text(plan.title), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(SANS, "", 15)
        pdf.set_text_color(*grey)
        pdf.multi_cell(0, 8, text(plan.owner), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        if plan.purpose:
            pdf.set_font(SANS, "", 11)
            pdf.set_text_color(*ink)
            pdf.multi_cell(0, LINE, text(plan.purpose), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(6)
        pdf.set_draw_color(200, 205, 214)
        pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
        pdf.ln(4)
        for label, value in plan.cover:
            pdf.set_font(SANS, "B", 11)
            pdf.set_text_color(*grey)
            pdf.cell(42, 7, text(label))
            pdf.set_font(SANS, "", 11)
            pdf.set_text_color(*ink)
            pdf.multi_cell(0, 7, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        for note in plan.notes:
            pdf.set_font(SANS, "I", 10)
            pdf.set_text_color(*grey)
            pdf.multi_cell(0, 5, text(note), new_x="LMARGIN", new_y="NEXT")

    for title, entries in plan.groups:
        if not plan.single:
            pdf.add_page()  # each section starts on a fresh page
        if title:
            heading(title, 18, space=0)
            pdf.set_draw_color(200, 205, 214)
            pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
            pdf.ln(2)
        if not entries:
            pdf.set_font(SANS, "I", 11)
            pdf.set_text_color(*grey)
            pdf.cell(0, LINE, "No entries in this section.", new_x="LMARGIN", new_y="NEXT")
        for entry in entries:
            heading(entry.title, 18 if plan.single else 14, space=0 if plan.single else 6)
            pdf.set_font(SANS, "", 9.5)
            pdf.set_text_color(*grey)
            line = " · ".join(entry.meta)
            if entry.tags:
                line += " · Tags: " + ", ".join(entry.tags)
            pdf.multi_cell(0, 5, text(line), new_x="LMARGIN", new_y="NEXT")
            if plan.single:
                for label, value in plan.cover:
                    pdf.multi_cell(0, 5, text(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
            for block in entry.blocks:
                _pdf_block(pdf, block, plan, write_runs, heading, text, width, grey)
    return bytes(pdf.output())


def _pdf_block(pdf, block: Block, plan: Plan, write_runs, heading, text, width, grey) -> None:
    if isinstance(block, Rule):
        pdf.ln(2)
        y = pdf.get_y()
        pdf.set_draw_color(200, 205, 214)
        pdf.line(pdf.w / 2 - 20, y, pdf.w / 2 + 20, y)
        pdf.ln(4)
        return
    if isinstance(block, Picture):
        image = read_image(block.attachment)
        if image is None:
            write_runs([Run(missing_image(block), italic=True)], color=grey)
            return
        room = pdf.page_break_trigger - pdf.t_margin
        w = width
        h = w * image.height / image.width
        caption = 6 if block.caption else 0
        if h > room * 0.85:
            h = room * 0.85
            w = h * image.width / image.height
        if pdf.get_y() + h + caption > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y() + 1
        pdf.image(io.BytesIO(image.data), x=(pdf.w - w) / 2, y=y, w=w, h=h)
        pdf.set_y(y + h + 1.5)
        if block.caption:
            pdf.set_font(SANS, "I", 9)
            pdf.set_text_color(*grey)
            pdf.multi_cell(0, 4.5, text(block.caption), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        return
    if block.kind == "heading":
        heading("".join(r.text for r in block.runs), {1: 13, 2: 12}.get(block.level, 11), space=2)
        return
    base = pdf.l_margin
    indent = 8 * block.quote + (6 * (block.level - 1) + 6 if block.kind == "item" else 0)
    if block.kind == "code":
        indent += 6 * block.level
    top, page = pdf.get_y(), pdf.page
    pdf.set_left_margin(base + indent)
    pdf.set_x(base + indent)
    if block.kind == "item" and block.marker:
        pdf.set_font(SANS, "", 11)
        pdf.set_text_color(29, 36, 51)
        pdf.set_x(base + indent - 6)
        pdf.cell(6, 5.6, text(block.marker))
    if block.kind == "code":
        pdf.set_font(MONO, "", 9.5)
        pdf.set_text_color(29, 36, 51)
        pdf.set_fill_color(243, 244, 247)
        content = "\n".join(r.text for r in block.runs)
        pdf.multi_cell(0, 4.6, text(content), fill=True, new_x="LMARGIN", new_y="NEXT")
    elif block.kind == "note":
        write_runs(block.runs, size=10.5, color=grey)
    else:
        write_runs(block.runs, color=grey if block.quote else (29, 36, 51), italic_all=False)
    pdf.set_left_margin(base)
    if block.quote and pdf.page == page:
        pdf.set_draw_color(190, 196, 208)
        pdf.set_line_width(0.8)
        pdf.line(
            base + 8 * block.quote - 4, top + 0.5, base + 8 * block.quote - 4, pdf.get_y() - 0.5
        )
        pdf.set_line_width(0.2)
    pdf.ln(1.5 if block.kind == "item" else 2.5)


@cache
def _pdf_class():
    # fpdf2 is imported when a PDF is asked for, not in every process.
    class LogPDF(pdf_class()):
        def footer(self) -> None:
            self.set_y(-13)
            self.set_font(SANS, size=8.5)
            self.set_text_color(90, 98, 112)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    return LogPDF


# --- what the views and the command call -----------------------------------------------------

WRITERS = {"docx": to_docx, "pdf": to_pdf}


def export_log(log: Log, fmt: str) -> bytes:
    """The whole log (no drafts) as ``fmt``; raises ``NothingToExport`` for a log without entries."""
    return WRITERS[fmt](log_plan(log))


def export_entry(entry: Entry, fmt: str) -> bytes:
    return WRITERS[fmt](single_plan(entry))


def log_filename(log: Log, fmt: str) -> str:
    return f"{slugify(log.title) or 'learning-log'}.{fmt}"


def entry_filename(entry: Entry, fmt: str) -> str:
    title = slugify(entry.title) or f"entry-{entry.pk}"
    return f"{slugify(entry.log.title) or 'learning-log'}-{title}.{fmt}"
