"""The practice record as files for an accrediting body: a PDF (who, their profile and the
period, the summary, then every line by section) and a CSV with one row per line of the record.
Both are written from one ``PracticeRecord``, so each says what the page says."""

import io
from collections.abc import Sequence
from datetime import date

from django.utils import timezone

from revans.core import csv
from revans.core.pdf import SANS, pdf_class, pdf_text

from .models import PracticeEntry
from .record import PracticeRecord, hours, profile_parts

ACCENT = (31, 95, 139)
MUTED = (79, 88, 104)
LINE = (217, 222, 231)
CSV_HEADER = ("Date", "Kind", "What", "Set or client", "Programme", "Hours", "Note")


def long_date(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def period_text(record: PracticeRecord) -> str:
    if record.start and record.end:
        return f"From {long_date(record.start)} to {long_date(record.end)}"
    if record.start:
        return f"From {long_date(record.start)}"
    if record.end:
        return f"Up to {long_date(record.end)}"
    return "Everything recorded"


def record_csv(record: PracticeRecord) -> bytes:
    """A header, then one row per line of the record, oldest first; cells people typed are
    made safe for spreadsheets (``core.csv``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for line in record.lines():
        writer.writerow(
            [
                line.on.isoformat(),
                line.kind,
                line.what,
                line.where,
                line.programme,
                "" if line.hours is None else hours(line.hours),
                line.note,
            ]
        )
    # A byte-order mark, so that Excel reads the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def record_pdf(record: PracticeRecord) -> bytes:
    pdf = pdf_class()(format="A4")
    name = record.user.display_name or record.user.email
    pdf.set_title(pdf_text(f"Practice record: {name}"))
    pdf.set_author("Revans")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(18, 18, 18)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.add_page()

    pdf.set_text_color(*MUTED)
    pdf.set_font(SANS, "", 11)
    pdf.cell(width, 7, "Facilitator's practice record", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(SANS, "B", 20)
    pdf.multi_cell(width, 9, pdf_text(name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SANS, "", 11)
    lines = profile_parts(record.user) or ["Facilitator profile not filled in"]
    lines.append(period_text(record))
    lines.append(f"Made {long_date(timezone.localdate())} from Revans and the entries added.")
    for text in lines:
        pdf.multi_cell(width, 6, pdf_text(text), new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, "Summary")
    _summary(pdf, record.summary(), width)

    _table(
        pdf,
        "Meetings facilitated in Revans",
        ("Date", "Set", "Programme", "Meeting", "Hours"),
        [
            (
                long_date(m.on),
                m.set_name,
                m.programme or "–",
                f"{m.number}" + (", co-facilitated" if m.co_facilitated else ""),
                hours(m.hours),
            )
            for m in record.facilitated
        ],
        width,
    )
    _table(
        pdf,
        "Observed practice",
        ("Date", "Set", "Who", "Feedback"),
        [
            (
                long_date(o.on),
                o.set_name,
                o.what,
                "Written" if o.feedback_written else "Not written yet",
            )
            for o in record.observations
        ],
        width,
    )
    _table(
        pdf,
        "Facilitators' peer-set meetings (supervision)",
        ("Date", "Set", "Meeting", "Hours"),
        [
            (long_date(m.on), m.set_name, str(m.number), hours(m.hours))
            for m in record.peer_meetings
        ],
        width,
    )
    _table(
        pdf,
        "Training days (CPD)",
        ("Date", "Day", "Programme", "Hours"),
        [(long_date(d.on), d.title, d.programme, hours(d.hours)) for d in record.training_days],
        width,
    )
    for kind, label in PracticeEntry.Kind.choices:
        entries = record.entries_of(kind)
        heading = {"practice": "Client", "supervision": "Supervisor", "cpd": "Event"}[kind]
        _table(
            pdf,
            label,
            ("Date", heading, "Hours"),
            [(long_date(e.on), e.title, hours(e.hours)) for e in reversed(entries)],
            width,
            notes=[e.note for e in reversed(entries)],
        )
    return bytes(pdf.output())


def _heading(pdf, text: str) -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.ln(5)
    pdf.set_font(SANS, "B", 13)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 8, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(SANS, "", 10)


def _summary(pdf, figures: Sequence[tuple[str, str]], width: float) -> None:
    """The figures two to a row, the label then the figure."""
    half = width / 2
    for i in range(0, len(figures), 2):
        y = pdf.get_y()
        for j, (label, value) in enumerate(figures[i : i + 2]):
            pdf.set_xy(pdf.l_margin + j * half, y)
            pdf.set_font(SANS, "", 10)
            pdf.set_text_color(*MUTED)
            pdf.cell(half * 0.72, 6.5, label)
            pdf.set_text_color(0, 0, 0)
            pdf.set_font(SANS, "B", 10)
            pdf.cell(half * 0.25, 6.5, value, align="R")
        pdf.set_xy(pdf.l_margin, y + 6.5)
        pdf.set_draw_color(*LINE)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.set_font(SANS, "", 10)


def _fit(pdf, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width``; the CSV keeps every word."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _widths(pdf, header: Sequence[str], rows: list[tuple[str, ...]], width: float) -> list[float]:
    """Each column but the second as wide as its widest cell; the second, a name, the rest."""
    pdf.set_font(SANS, "B", 9)
    needs = [pdf.get_string_width(name) + 4 for name in header]
    pdf.set_font(SANS, "", 9)
    for row in rows[:200]:
        for i, value in enumerate(row):
            needs[i] = max(needs[i], pdf.get_string_width(pdf_text(value)) + 4)
    others = sum(needs) - needs[1]
    second = max(width - others, width * 0.25)
    scale = min(1.0, (width - second) / others) if others else 1.0
    return [w * scale if i != 1 else second for i, w in enumerate(needs)]


def _table(
    pdf,
    title: str,
    header: Sequence[str],
    rows: list[tuple[str, ...]],
    width: float,
    notes: list[str] | None = None,
) -> None:
    """A heading, then a line per row (its note, if any, under it); the header again at the
    top of each page."""
    _heading(pdf, f"{title} ({len(rows)})")
    if not rows:
        pdf.set_text_color(*MUTED)
        pdf.cell(width, 6, "None in this period.", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        return
    widths = _widths(pdf, header, rows, width)
    line = 5.5

    def head() -> None:
        if pdf.get_y() + 3 * line > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.set_font(SANS, "B", 9)
        for name, w in zip(header, widths, strict=True):
            pdf.cell(w, line, name)
        pdf.ln(line)
        pdf.set_draw_color(120, 128, 140)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.set_font(SANS, "", 9)

    head()
    note_width = width - widths[0]
    bottom = pdf.h - pdf.b_margin
    for i, row in enumerate(rows):
        note = pdf_text(notes[i]) if notes else ""
        wrapped: list[str] = []
        if note:
            pdf.set_font(SANS, "I", 8.5)
            wrapped = pdf.multi_cell(note_width - 1, 4.5, note, dry_run=True, output="LINES")
            pdf.set_font(SANS, "", 9)
        # A row starts a page (under the table's head) when it and its note's first lines
        # would not fit; a long note goes on over the page, under the head again.
        if pdf.get_y() + line + 4.5 * min(len(wrapped), 3) > bottom:
            pdf.add_page()
            head()
        for value, w in zip(row, widths, strict=True):
            pdf.cell(w, line, _fit(pdf, pdf_text(value), w - 1))
        pdf.ln(line)
        for text in wrapped:
            if pdf.get_y() + 4.5 > bottom:
                pdf.add_page()
                head()
            pdf.set_x(pdf.l_margin + widths[0])
            pdf.set_text_color(*MUTED)
            pdf.set_font(SANS, "I", 8.5)
            pdf.cell(note_width, 4.5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(SANS, "", 9)
            pdf.set_text_color(0, 0, 0)
        if wrapped:
            pdf.ln(1)
