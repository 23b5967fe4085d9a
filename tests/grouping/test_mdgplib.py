"""Reading MDGPLIB files: plain and gzipped, and clear errors for broken ones."""

import gzip

import numpy as np
import pytest

from revans.grouping.mdgplib import read

GOOD = "4 2 ds 1 3 1 3\n0 1 1.5\n0 2 2\n0 3 3\n1 2 4\n1 3 5\n2 3 6.25\n"


def test_a_plain_file_gives_the_matrix_and_bounds(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text(GOOD)
    problem = read(path)
    assert problem.n == 4 and problem.bounds == [(1, 3), (1, 3)]
    assert problem.diversity[2, 3] == problem.diversity[3, 2] == 6.25
    assert np.all(np.diag(problem.diversity) == 0)
    assert problem.name == "tiny"


def test_a_gzipped_file_reads_the_same(tmp_path):
    path = tmp_path / "tiny.txt.gz"
    with gzip.open(path, "wt") as target:
        target.write(GOOD)
    assert np.array_equal(read(path).diversity, read_text(tmp_path, GOOD).diversity)


def read_text(tmp_path, text):
    path = tmp_path / "case.txt"
    path.write_text(text)
    return read(path)


def test_a_truncated_file_says_how_many_pairs_are_missing(tmp_path):
    with pytest.raises(ValueError, match=r"line 4: truncated: 3 of the 6 pair lines"):
        read_text(tmp_path, "".join(GOOD.splitlines(keepends=True)[:4]))


def test_a_truncated_gzip_stream_is_a_clear_error(tmp_path):
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(GOOD.encode())[:30])
    with pytest.raises(ValueError, match=r"cut\.txt\.gz: cannot read the file"):
        read(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: empty file"),
        ("4 two ds 1 3 1 3\n", "line 1: expected 'n m type"),
        ("4 2 xs 1 3 1 3\n", "line 1: expected type 'ss' or 'ds'"),
        ("4 2 ds 1 3 1\n", "line 1: expected 4 group bounds"),
        (GOOD.replace("1 2 4\n", "1 2\n"), "line 5: expected 'i j d', got '1 2'"),
        (GOOD.replace("1 2 4\n", "1 2 four\n"), "line 5: expected two item numbers"),
        (GOOD.replace("1 2 4\n", "1 7 4\n"), "line 5: items 1 and 7 are not two items"),
        (GOOD.replace("1 2 4\n", "0 1 4\n"), "line 5: the pair 0 1 appears twice"),
        (GOOD.replace("1 2 4\n", "1 2 nan\n"), "line 5: diversity 'nan' is not a finite"),
    ],
)
def test_a_malformed_file_names_the_line(tmp_path, text, message):
    with pytest.raises(ValueError, match=message):
        read_text(tmp_path, text)
