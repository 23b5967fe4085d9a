"""The programme report as files for a sponsor: PDF (cover, summary figures, charts, the per-set
table, the method and the n ≥ 5 rule), CSV and XLSX of the same tables. Every file is written
from one ``ProgrammeReport``, so each says the same as the dashboard."""

import io
from collections.abc import Sequence

from django.utils import dateformat, timezone

from revans.core import csv
from revans.core.pdf import SANS, pdf_class

from .figures import MIN_PEOPLE, WITHHELD
from .report import METHOD, Cell, ProgrammeReport, Table

WITHHELD_SHORT = f"n < {MIN_PEOPLE}"
ACCENT = (31, 95, 139)
MUTED = (79, 88, 104)
SERIES = [(31, 95, 139), (192, 97, 40), (150, 160, 175)]


def report_csv(report: ProgrammeReport) -> bytes:
    """One table after another, each under its name, with a blank row between: opens in any
    spreadsheet; cells that look like formulas are made safe (``core.csv``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([report.programme.name, f"Made {_made(report)}"])
    writer.writerow([METHOD])
    for table in report.tables():
        writer.writerow([])
        writer.writerow([table.name])
        writer.writerow(table.header)
        writer.writerows(table.rows)
    # A byte-order mark, so that Excel reads the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(report: ProgrammeReport) -> bytes:
    """A sheet per table, its header bold and frozen, and an "About" sheet with the method."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "About"
    about.append([report.programme.name])
    about["A1"].font = Font(bold=True, size=14)
    about.append([f"Made {_made(report)}"])
    about.append([])
    about.append([METHOD])
    about["A4"].alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 110
    about.row_dimensions[4].height = 150
    used: set[str] = {"About"}
    for table in report.tables():
        sheet = book.create_sheet(_sheet_name(table.name, used))
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([csv.safe_cell(value) for value in row])
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = min(max(width + 2, 10), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
    base = "".join(c for c in name if c not in "[]:*?/\\")[:31]
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base[:28]} {n}"
        n += 1
    used.add(candidate)
    return candidate


def _made(report: ProgrammeReport) -> str:
    return dateformat.format(timezone.localtime(report.made_at), "j F Y, H:i")


def _shown(value: Cell) -> str:
    """A cell as the PDF writes it: a withheld figure as "n < 5", explained under each table
    that has one."""
    if value is None:
        return "–"
    if value == WITHHELD:
        return WITHHELD_SHORT
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def report_pdf(report: ProgrammeReport) -> bytes:
    pdf = pdf_class()(format="A4")
    pdf.set_title(f"{report.programme.name}: programme report")
    pdf.set_author("Revans")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(18, 18, 18)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    # Cover
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_text_color(*MUTED)
    pdf.set_font(SANS, "", 12)
    pdf.cell(width, 8, "Action learning programme report", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(SANS, "B", 24)
    pdf.multi_cell(width, 11, report.programme.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SANS, "", 12)
    programme = report.programme
    pdf.ln(4)
    lines = [
        f"{dateformat.format(programme.starts_on, 'j F Y')} to "
        f"{dateformat.format(programme.ends_on, 'j F Y')}",
    ]
    if programme.sponsor_id:
        lines.append(f"Sponsor: {programme.sponsor}")
    lines.append(f"Made {_made(report)}")
    for line in lines:
        pdf.cell(width, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_text_color(*MUTED)
    pdf.set_font(SANS, "", 10)
    pdf.multi_cell(
        width,
        5,
        f"Counts, rates and means only. Survey figures from fewer than {MIN_PEOPLE} people are "
        "withheld; nothing said in a set appears here.",
    )
    pdf.set_text_color(0, 0, 0)

    tables = {t.name: t for t in report.tables()}

    # Summary figures
    pdf.add_page()
    _heading(pdf, "Summary")
    if not report.has_data:
        pdf.multi_cell(
            width,
            6,
            "No meeting has been held or planned and no survey answered yet: the figures below "
            "are all zero or withheld.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
    _tiles(pdf, report.summary(), width)

    # Charts
    months = report.delivery.months
    if months:
        _heading(pdf, "Meetings by month")
        _bars(
            pdf,
            [m.month.strftime("%b %y") for m in months],
            [
                ("Held", [m.held for m in months]),
                ("Missed", [m.missed for m in months]),
                ("Planned", [m.planned for m in months]),
            ],
            width,
        )
    change = [c for c in report.figures.change if not c.withheld]
    _heading(pdf, "Start to end: the benefits members report")
    if change:
        _ranges(pdf, change, width)
    else:
        _note(pdf, f"Withheld: fewer than {MIN_PEOPLE} people answered both surveys.", width)

    # The sets that need attention, then the tables
    slipping = report.delivery.slipping
    _heading(pdf, "Sets that need attention")
    if not slipping:
        pdf.multi_cell(width, 5.5, "No set is slipping.", new_x="LMARGIN", new_y="NEXT")
    for set_line in slipping:
        pdf.set_font(SANS, "B", 10)
        pdf.multi_cell(width, 5.5, set_line.name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(SANS, "", 9.5)
        pdf.multi_cell(width, 5, "; ".join(set_line.slipping), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    _table(pdf, _short(tables["Sets"]), width)
    for name in ("Start to end", "Surveys", "Pulse by month", "Meetings by month"):
        _table(pdf, tables[name], width)
    themes = report.figures.themes
    _heading(pdf, "What members valued most (shared as themes)")
    if themes.shared is None:
        _note(
            pdf,
            f"Withheld until at least {MIN_PEOPLE} members have answered the end survey.",
            width,
        )
    elif not themes.shared:
        _note(pdf, "No member chose to share what they valued most.", width)
    else:
        _note(pdf, "In the words of the members who agreed to share them, unattributed.", width)
        for theme in themes.shared:
            pdf.multi_cell(width, 5.5, f"• {theme}", new_x="LMARGIN", new_y="NEXT")

    # Method
    _heading(pdf, "Method")
    pdf.set_font(SANS, "", 10)
    pdf.multi_cell(width, 5, METHOD, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _heading(pdf, text: str) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(SANS, "B", 14)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(SANS, "", 10)


def _note(pdf, text: str, width: float) -> None:
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(width, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _tiles(pdf, figures: Sequence[tuple[str, Cell]], width: float) -> None:
    """The headline figures, four to a row."""
    per_row, gap = 4, 3
    tile = (width - gap * (per_row - 1)) / per_row
    x0 = pdf.l_margin
    y = pdf.get_y() - 22
    for i, (label, value) in enumerate(figures):
        if i % per_row == 0:
            y += 22
            if y > pdf.h - 40:
                pdf.add_page()
                y = pdf.get_y()
        x = x0 + (i % per_row) * (tile + gap)
        pdf.set_draw_color(217, 222, 231)
        pdf.rect(x, y, tile, 19)
        pdf.set_xy(x + 2, y + 2)
        pdf.set_font(SANS, "B", 15)
        pdf.cell(tile - 4, 8, _shown(value))
        pdf.set_xy(x + 2, y + 11)
        pdf.set_font(SANS, "", 8)
        pdf.set_text_color(*MUTED)
        pdf.cell(tile - 4, 5, label)
        pdf.set_text_color(0, 0, 0)
    pdf.set_xy(x0, y + 24)
    pdf.set_font(SANS, "", 10)


def _legend(pdf, names: Sequence[str], y: float) -> None:
    x = pdf.l_margin
    pdf.set_font(SANS, "", 8)
    for i, name in enumerate(names):
        pdf.set_fill_color(*SERIES[i % len(SERIES)])
        pdf.rect(x, y + 1, 4, 3, style="F")
        pdf.set_xy(x + 5, y)
        pdf.cell(pdf.get_string_width(name) + 2, 5, name)
        x += pdf.get_string_width(name) + 12
    pdf.set_font(SANS, "", 10)


def _bars(pdf, labels: list[str], series: list[tuple[str, list[int]]], width: float) -> None:
    """Stacked bars, one per label, with the counts on the y axis."""
    height = 55
    if pdf.get_y() + height + 16 > pdf.h - 16:
        pdf.add_page()
    top = pdf.get_y() + 2
    _legend(pdf, [name for name, _ in series], top)
    top += 7
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    peak = max([*totals, 1])
    left = pdf.l_margin + 8
    plot = width - 8
    slot = plot / max(len(labels), 1)
    bar = min(slot * 0.7, 14)
    pdf.set_draw_color(200, 205, 214)
    pdf.line(left, top + height, left + plot, top + height)
    pdf.set_font(SANS, "", 7)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(pdf.l_margin, top - 1)
    pdf.cell(7, 4, str(peak), align="R")
    pdf.set_xy(pdf.l_margin, top + height - 3)
    pdf.cell(7, 4, "0", align="R")
    every = max(1, round(len(labels) / 12))
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar) / 2
        y = top + height
        for s, (_, values) in enumerate(series):
            h = height * values[i] / peak
            if h:
                pdf.set_fill_color(*SERIES[s % len(SERIES)])
                pdf.rect(x, y - h, bar, h, style="F")
                y -= h
        if i % every == 0:
            pdf.set_xy(left + i * slot, top + height + 1)
            pdf.cell(slot * every, 4, label, align="L")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(SANS, "", 10)
    pdf.set_xy(pdf.l_margin, top + height + 8)


def _ranges(pdf, change, width: float) -> None:
    """Each benefit as a line from its start mean to its end mean on a 1–5 axis."""
    label_width = width * 0.45
    axis = width - label_width - 14
    left = pdf.l_margin + label_width + 4
    _legend(pdf, ["Start", "End"], pdf.get_y())
    pdf.ln(7)
    for c in change:
        if pdf.get_y() > pdf.h - 30:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_font(SANS, "", 8.5)
        pdf.multi_cell(label_width, 4.2, c.question.text, new_x="LEFT", new_y="NEXT")
        row_end = max(pdf.get_y(), y + 8)
        mid = y + 3

        def at(value: float) -> float:
            return left + axis * (value - 1) / 4

        pdf.set_draw_color(217, 222, 231)
        pdf.line(left, mid, left + axis, mid)
        pdf.set_draw_color(*MUTED)
        pdf.line(at(c.start_mean), mid, at(c.end_mean), mid)
        pdf.set_fill_color(*SERIES[0])
        pdf.ellipse(at(c.start_mean) - 1.4, mid - 1.4, 2.8, 2.8, style="F")
        pdf.set_fill_color(*SERIES[1])
        pdf.ellipse(at(c.end_mean) - 1.4, mid - 1.4, 2.8, 2.8, style="F")
        pdf.set_xy(left + axis + 1, mid - 2)
        pdf.set_font(SANS, "B", 8)
        pdf.cell(12, 4, f"{c.change:+.1f}")
        pdf.set_font(SANS, "", 7)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(left + axis + 1, mid + 1.5)
        pdf.cell(12, 3, f"n={c.answered_both}")
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(pdf.l_margin, row_end + 1)
    pdf.set_font(SANS, "", 7)
    pdf.set_text_color(*MUTED)
    for value in range(1, 6):
        x = left + axis * (value - 1) / 4
        pdf.set_xy(x - 3, pdf.get_y())
        pdf.cell(6, 4, str(value), align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, pdf.get_y() + 6)
    pdf.set_font(SANS, "", 10)


# The sets table's columns as the PDF's narrow page heads them.
SHORT = {
    "Meetings held": "Held",
    "Meetings planned": "Planned",
    "Meetings missed": "Missed",
    "Attendance (%)": "Attended %",
    "Actions committed": "Actions",
    "Actions completed": "Done",
    "Actions partly done": "Partly",
    "Actions completed (%)": "Done %",
    "How useful (mean, 1–5)": "Useful (1–5)",
}


# Counts the PDF's page has no room for (its "Done %" gives them); the CSV and XLSX keep them.
PDF_LEAVES_OUT = ("Actions completed", "Actions partly done")


def _short(table: Table) -> Table:
    """The sets table for the PDF: short column heads, without the counts of done and partly
    done actions, and "Slipping" as yes or nothing (the reasons are listed above it)."""
    keep = [i for i, name in enumerate(table.header) if name not in PDF_LEAVES_OUT]
    header = tuple(SHORT.get(table.header[i], table.header[i]) for i in keep)
    rows = tuple(
        tuple("Yes" if i == len(row) - 1 and row[i] else row[i] for i in keep) for row in table.rows
    )
    return Table(table.name, header, rows)


def _fit(pdf, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` in the current font."""
    # No character is wider than the font's size (an em): short texts, most of them figures,
    # fit without measuring, which fpdf2 does slowly.
    if len(text) * pdf.font_size <= width or pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _widths(pdf, table: Table, width: float, size: float) -> list[float]:
    """Each column as wide as the longest word of its head or its longest value (of the first
    hundred rows), so that a head wraps between words; the first column (names, questions)
    what is left, up to what it needs or two fifths of the page."""
    if len(table.header) == 1:
        return [width]
    pdf.set_font(SANS, "B", size)
    heads = [max(pdf.get_string_width(word) for word in name.split()) for name in table.header]
    pdf.set_font(SANS, "", size)
    sample = table.rows[:100]
    values = [
        max((pdf.get_string_width(_shown(row[i])) for row in sample), default=0)
        for i in range(len(table.header))
    ]
    rest = [max(h, v) + 4 for h, v in zip(heads[1:], values[1:], strict=True)]
    content = max(heads[0], values[0]) + 4
    first = max(min(width - sum(rest), max(content, width * 0.4)), width * 0.2)
    scale = (width - first) / sum(rest)
    return [first] + [w * min(scale, 1) for w in rest]


def _table(pdf, table: Table, width: float) -> None:
    """A table drawn a line per row with ``cell`` (fpdf2's own tables lay out every cell as a
    paragraph: 500 sets took seconds); its header again at the top of each page. A cell too long
    for its column is cut with an ellipsis; the CSV and XLSX keep every word."""
    _heading(pdf, table.name)
    if not table.rows:
        _note(pdf, "Nothing to show yet.", width)
        return
    columns = len(table.header)
    size = 7 if columns > 6 else 9
    line = 4.4 if columns > 6 else 5.5
    widths = _widths(pdf, table, width, size)

    def header() -> None:
        pdf.set_font(SANS, "B", size)
        lines = max(
            len(pdf.multi_cell(w - 1, line * 0.9, name, align="L", dry_run=True, output="LINES"))
            for name, w in zip(table.header, widths, strict=True)
        )
        height = lines * line * 0.9 + 1
        if pdf.get_y() + height + 2 * line > pdf.h - pdf.b_margin:
            pdf.add_page()  # a head is never left alone at the foot of a page
        top, x = pdf.get_y(), pdf.l_margin
        for name, w in zip(table.header, widths, strict=True):
            pdf.set_xy(x, top)
            pdf.multi_cell(w - 1, line * 0.9, name, align="L", new_x="RIGHT", new_y="TOP")
            x += w
        bottom = top + height
        pdf.set_draw_color(120, 128, 140)
        pdf.line(pdf.l_margin, bottom, pdf.l_margin + width, bottom)
        pdf.set_xy(pdf.l_margin, bottom + 0.5)
        pdf.set_font(SANS, "", size)

    header()
    for values in table.rows:
        if pdf.get_y() + line > pdf.h - pdf.b_margin:
            pdf.add_page()
            header()
        for value, w in zip(values, widths, strict=True):
            pdf.cell(w, line, _fit(pdf, _shown(value), w - 1))
        pdf.ln(line)
    if any(value == WITHHELD for row in table.rows for value in row):
        pdf.ln(1)
        _note(pdf, f"{WITHHELD_SHORT}: withheld, fewer than {MIN_PEOPLE} people answered.", width)
    pdf.set_font(SANS, "", 10)
