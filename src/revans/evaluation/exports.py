"""The programme report as files for a sponsor: PDF (cover, summary figures, charts, the per-set
table, the method and the n ≥ 5 rule), CSV and XLSX of the same tables. Every file is written
from one ``ProgrammeReport``, so each says the same as the dashboard."""

import io
from collections.abc import Sequence

from django.utils import dateformat, timezone

from revans.core import csv
from revans.core.pdf import SANS, pdf_class

from .figures import MIN_PEOPLE
from .report import METHOD, Cell, ProgrammeReport, Table

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
    if value is None:
        return "–"
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

    # Tables
    for name in ("Sets", "Start to end", "Surveys", "Pulse by month", "Meetings by month"):
        _table(pdf, tables[name], width)
    themes = tables["What members valued most (shared as themes)"]
    _heading(pdf, themes.name)
    for (theme,) in themes.rows:
        pdf.multi_cell(width, 5.5, f"• {_shown(theme)}", new_x="LMARGIN", new_y="NEXT")

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


def _table(pdf, table: Table, width: float) -> None:
    _heading(pdf, table.name)
    if not table.rows:
        _note(pdf, "Nothing to show yet.", width)
        return
    pdf.set_font(SANS, "", 7.5 if len(table.header) > 6 else 9)
    with pdf.table(
        width=width,
        text_align="LEFT",
        line_height=4.2 if len(table.header) > 6 else 5,
        first_row_as_headings=True,
        borders_layout="SINGLE_TOP_LINE",
    ) as grid:
        heading = grid.row()
        for name in table.header:
            heading.cell(name)
        for values in table.rows:
            row = grid.row()
            for value in values:
                row.cell(_shown(value))
    pdf.set_font(SANS, "", 10)
