"""Reading cohort files: a CSV or XLSX file becomes the people of a cohort, and every bad row
is named. The rules that form them into sets are in cohort.py; this module knows only the file.

A cohort file is CSV (comma, semicolon or tab separated; UTF-8, with or without Excel's byte
order mark) or XLSX (the first sheet). Row 1 holds the column names, in any order and case;
every later row is one person. Rows are numbered as a spreadsheet shows them (the header is
row 1), and every error names its rows.

==============  ========  ================================================================
column          required  meaning
==============  ========  ================================================================
email           yes       the person's e-mail address; unique in the cohort
name            yes       the person's name (may be empty)
organisation    yes       where they work; never empty ("organization" is also accepted)
sector          no        e.g. health, local government, charity
role_level      no        a number (e.g. 1–5), or entry, junior, middle, senior, executive
location        no        e.g. a city or region
manager_email   no        their line manager's e-mail, who must be in the cohort too: the
                          two are never put in the same set
availability    no        the slots they can meet in, separated by ";" (e.g. "mon am;thu pm");
                          empty means any slot. The members of each set share a slot.
keep_apart      no        e-mails of people they must not share a set with, separated by ";"
set             no        lock the person in this set: a number or a name; people with the
                          same value are locked in the same set
==============  ========  ================================================================

Imports nothing from Django.
"""

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from revans.core import csv as safe_csv

COLUMNS: tuple[str, ...] = (
    "email",
    "name",
    "organisation",
    "sector",
    "role_level",
    "location",
    "manager_email",
    "availability",
    "keep_apart",
    "set",
)
"""The columns of a cohort file, in the order Revans writes them; the first three are required."""
REQUIRED = COLUMNS[:3]
OPTIONAL = COLUMNS[3:]
CATEGORICAL = ("organisation", "sector", "location")

NAMED_LEVELS: tuple[str, ...] = ("entry", "junior", "middle", "senior", "executive")
"""Role levels by name, lowest first; they count as 1–5."""

ALIASES = {
    "e_mail": "email",
    "organization": "organisation",
    "org": "organisation",
    "role": "role_level",
    "level": "role_level",
    "manager": "manager_email",
    "manager_e_mail": "manager_email",
    "slots": "availability",
    "apart": "keep_apart",
    "locked": "set",
}


class CohortError(ValueError):
    """A cohort that cannot be formed into sets. ``errors`` lists every problem found, one
    sentence each, naming the rows (or people) concerned."""

    def __init__(self, errors: Sequence[str], source: str = "cohort"):
        self.errors = list(errors)
        self.source = source
        count = len(self.errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{source}: {count} problem{'s' * (count != 1)}:\n{lines}")


@dataclass(frozen=True)
class Person:
    """One row of a cohort file."""

    row: int
    email: str
    name: str
    organisation: str
    sector: str = ""
    role_level: float | None = None
    location: str = ""
    manager_email: str = ""
    availability: frozenset[str] = frozenset()
    keep_apart: tuple[str, ...] = ()
    locked: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    def attribute(self, name: str) -> str:
        """The value of a categorical attribute (a standard one or an extra column)."""
        if name in CATEGORICAL:
            value: str = getattr(self, name)  # the standard attributes are strings
            return value
        return self.extra.get(name, "")


def read_people(
    path: str | Path, levels: Sequence[str] = NAMED_LEVELS, source: str | None = None
) -> list[Person]:
    """The people of a cohort file (``.csv`` or ``.xlsx``). ``levels`` names the role levels, lowest
    first. Raises CohortError listing every problem with its rows; nothing is half-read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CohortError([f"cannot read the file ({error})"], source or path.name) from None
    return read_people_data(data, path.name, levels, source)


def read_people_data(
    data: bytes, name: str, levels: Sequence[str] = NAMED_LEVELS, source: str | None = None
) -> list[Person]:
    """The people of the bytes of a cohort file called ``name`` (an upload): XLSX when the
    name ends in .xlsx or .xlsm, else CSV. Raises CohortError, as read_people."""
    source = source or name
    try:
        if Path(name).suffix.lower() in (".xlsx", ".xlsm"):
            rows = _xlsx_rows(io.BytesIO(data))
        else:
            rows = _csv_rows(data)
    except CohortError as error:
        raise CohortError(error.errors, source) from None
    except UnicodeDecodeError:
        raise CohortError(
            ["the file is not UTF-8 text: save it as “CSV UTF-8” or as .xlsx"], source
        ) from None
    except (csv.Error, ValueError, KeyError) as error:
        raise CohortError([f"cannot read the file ({error})"], source) from None
    return people_from_rows(rows, levels, source)


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(number, row) for number, row in enumerate(reader, start=1)]


def _xlsx_rows(path: Path | io.BytesIO) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise CohortError([f"not a readable .xlsx file ({error})"]) from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell(v) for v in values]))
        return rows
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def column_key(header: str) -> str:
    """The column a header names: casefolded, spaces and dashes as ``_``, aliases resolved."""
    key = re.sub(r"[\s\-]+", "_", header.strip().casefold())
    return ALIASES.get(key, key)


def people_from_rows(
    rows: Sequence[tuple[int, Sequence[str]]],
    levels: Sequence[str] = NAMED_LEVELS,
    source: str = "cohort",
) -> list[Person]:
    """The people of numbered rows (the first is the header), each checked, and checked
    together (unique e-mails, managers and keep-apart people in the cohort). Raises
    CohortError naming every bad row."""
    rows = [(number, [c.strip() for c in cells]) for number, cells in rows]
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        raise CohortError(["the file is empty: row 1 must name the columns"], source)
    header_row, header = rows[0]
    columns = [column_key(h) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    errors = []
    if missing:
        errors.append(
            f"row {header_row}: missing required column{'s' * (len(missing) > 1)} "
            f"{', '.join(missing)} (found: {', '.join(h for h in header if h) or 'none'})"
        )
    if repeated:
        errors.append(
            f"row {header_row}: column{'s' * (len(repeated) > 1)} "
            f"{', '.join(repeated)} appear more than once"
        )
    if errors:
        raise CohortError(errors, source)
    if len(rows) == 1:
        raise CohortError([f"no people: only the header row {header_row}"], source)
    ladder = {name.casefold(): k for k, name in enumerate(levels, start=1)}
    people = []
    for number, cells in rows[1:]:
        # A column the file lacks, or a short row, reads as empty.
        values = dict.fromkeys((*REQUIRED, *OPTIONAL), "")
        values.update(zip(columns, cells, strict=False))
        level_text = values["role_level"]
        level: float | None = None
        if level_text:
            try:
                level = float(level_text)
                if not math.isfinite(level):
                    raise ValueError
            except ValueError:
                level = ladder.get(level_text.casefold())
                if level is None:
                    errors.append(
                        f"row {number}: role level {level_text!r} is not a number "
                        f"or one of {', '.join(levels)}"
                    )
        email = values["email"].casefold()
        if not email:
            errors.append(f"row {number}: empty email")
        elif "@" not in email or " " in email:
            errors.append(f"row {number}: {values['email']!r} is not an e-mail address")
        if not values["organisation"]:
            errors.append(f"row {number}: empty organisation")
        people.append(
            Person(
                row=number,
                email=email,
                name=values["name"],
                organisation=values["organisation"],
                sector=values["sector"],
                role_level=level,
                location=values["location"],
                manager_email=values["manager_email"].casefold(),
                availability=frozenset(
                    " ".join(s.split()).casefold()
                    for s in values["availability"].split(";")
                    if s.strip()
                ),
                keep_apart=tuple(
                    e.strip().casefold()
                    for e in re.split(r"[;,]", values["keep_apart"])
                    if e.strip()
                ),
                locked=values["set"],
                extra={
                    c: v for c, v in values.items() if c and c not in REQUIRED and c not in OPTIONAL
                },
            )
        )
    errors.extend(check_people(people))
    if errors:
        raise CohortError(sorted(errors, key=_row_key), source)
    return people


def _row_key(error: str) -> tuple[int, str]:
    found = re.match(r"rows? (\d+)", error)
    return (int(found.group(1)) if found else 0, error)


def check_people(people: Sequence[Person]) -> list[str]:
    """Duplicate e-mails, and managers or keep-apart people who are not in the cohort."""
    errors = []
    rows: dict[str, list[int]] = {}
    for p in people:
        if p.email:
            rows.setdefault(p.email, []).append(p.row)
    for email, found in rows.items():
        if len(found) > 1:
            listed = ", ".join(map(str, found[:-1])) + f" and {found[-1]}"
            errors.append(f"rows {listed}: duplicate e-mail {email}")
    for p in people:
        if p.manager_email == p.email and p.email:
            errors.append(f"row {p.row}: {p.email} is their own manager")
        elif p.manager_email and p.manager_email not in rows:
            errors.append(f"row {p.row}: manager {p.manager_email} is not in the cohort")
        for e in p.keep_apart:
            if e not in rows:
                errors.append(f"row {p.row}: keep_apart {e} is not in the cohort")
    return errors


def write_rows(path: str | Path, rows: Sequence[Sequence[str]]) -> None:
    """Write ``rows`` (the first names the columns) to ``path``: .xlsx, or CSV otherwise, with
    every cell kept as text."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "sets"
        for row in rows:
            sheet.append(list(row))
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"  # openpyxl takes text starting with "=" for a formula
        book.save(path)
        return
    with open(path, "w", encoding="utf-8", newline="") as out:
        safe_csv.writer(out).writerows(rows)
