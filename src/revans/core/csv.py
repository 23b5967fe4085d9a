"""CSV that a spreadsheet opens as text: every cell people typed is kept from running as a
formula ("CSV injection"). Every CSV file Revans hands to someone is written through
``writer()`` (or its cells through ``safe_cell()``).

Plain Python with no Django in it, so the grouping engine can write its files with it too.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

# What makes a spreadsheet read a cell as a formula (or a DDE call): = + - @, their full-width
# forms, which some spreadsheets fold to the ASCII ones, and tab or carriage return, which
# Excel skips at the start of a cell.
_STARTS_FORMULA = frozenset("=+-@\t\r＝＋－＠")
# Skipped before the first character that counts: spaces of every kind and the separators a
# spreadsheet may split the cell on when it guesses the delimiter (";=1+1" becomes "=1+1").
_SKIPPED = re.compile(r"[\s;,；，]*")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell no spreadsheet will run: text whose first character that counts
    would start a formula gets a leading ``'`` (shown as text, the rest kept as it was).
    Numbers, plain signed numbers written as text (``-3``, ``+1.5``) and other text pass
    unchanged."""
    if not isinstance(value, str) or _NUMBER.fullmatch(value):
        return value
    skipped = _SKIPPED.match(value)
    assert skipped is not None  # the pattern matches the empty string too
    first = value[skipped.end() :][:1]
    if value[:1] in _STARTS_FORMULA or first in _STARTS_FORMULA:
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class _SafeWriter:
    """``csv.writer`` with every cell passed through ``safe_cell``."""

    def __init__(self, out, **options) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out, **options) -> _SafeWriter:
    """A ``csv.writer`` on ``out`` (same options) whose cells are neutralised by ``safe_cell``."""
    return _SafeWriter(out, **options)
