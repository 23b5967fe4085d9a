"""CSV cells that a spreadsheet would run as formulas are kept as text, whatever hides them."""

import csv
import io

import pytest

from revans.core.csv import safe_cell, writer


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example","click")',
        "+1+1",
        "-1+1",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "\tplain",
        ";=1+1",
        " =cmd|' /C calc'!A0",
        "  ;  -2+3",
        ",=1+1",
        "\n=1+1",
        "\u00a0=1+1",
        "\u3000＝1+1",
        "＝1+1",
        "＋1",
        "－1+1",
        "＠SUM(A1)",
        "；＝1+1",
        "-",
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_gets_a_leading_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["Ann", "ann@acme.org", "Łódź", "a=b", "Acme; Beta", "", " Ann", "-3", "+1.5", "2.0", "1e-3"],
)
def test_ordinary_text_and_plain_numbers_pass_unchanged(value):
    assert safe_cell(value) == value


def test_values_that_are_not_text_pass_unchanged():
    assert safe_cell(-3) == -3
    assert safe_cell(None) is None


def test_the_writer_neutralises_every_cell_and_reads_back_as_text():
    out = io.StringIO()
    writer(out).writerows([["name", "note"], ["=1+1", ";=2+2"], ["Ann", "＝3"]])
    writer(out).writerow(["@x", "fine"])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["name", "note"], ["'=1+1", "';=2+2"], ["Ann", "'＝3"], ["'@x", "fine"]]


def test_the_helper_imports_nothing_from_django():
    import subprocess
    import sys

    code = (
        "import sys, revans.core.csv; assert not [m for m in sys.modules if m.startswith('django')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
