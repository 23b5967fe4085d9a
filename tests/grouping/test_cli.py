"""``revans group mdgp``: one group a line in the output file, the objective printed last."""

import gzip

import pytest

from revans.cli import main as revans
from revans.grouping.__main__ import main

pytestmark = pytest.mark.usefixtures("compiled")

INSTANCE = "6 2 ss 3 3 3 3\n" + "".join(
    f"{i} {j} {(i % 2 == j % 2) * 10 + 1}\n" for i in range(6) for j in range(i + 1, 6)
)


def test_it_writes_one_group_a_line_and_prints_the_objective(tmp_path, capsys):
    path = tmp_path / "six.txt.gz"
    path.write_bytes(gzip.compress(INSTANCE.encode()))
    out = tmp_path / "groups.txt"
    assert main(["mdgp", str(path), "--seconds", "1", "--seed", "3", "--out", str(out)]) == 0
    groups = out.read_text().splitlines()
    assert len(groups) == 6 and set(groups) == {"0", "1"}
    assert groups[0] == groups[2] == groups[4] != groups[1]
    printed = capsys.readouterr()
    assert printed.out.splitlines()[-1] == "66.000"
    assert "100%" in printed.err


def test_the_revans_command_dispatches_without_django(tmp_path, capsys):
    path = tmp_path / "six.txt"
    path.write_text(INSTANCE)
    out = tmp_path / "groups.txt"
    with pytest.raises(SystemExit) as done:
        revans(["group", "mdgp", str(path), "--out", str(out), "--quiet"])
    assert done.value.code == 0
    assert capsys.readouterr().out == "66.000\n"


def test_a_broken_file_is_an_error_message_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "broken.txt"
    path.write_text(INSTANCE[:40])
    assert main(["mdgp", str(path), "--out", str(tmp_path / "g.txt"), "--quiet"]) == 1
    assert "broken.txt: line" in capsys.readouterr().err


def test_a_bad_seed_or_an_unwritable_output_is_an_error_message(tmp_path, capsys):
    path = tmp_path / "six.txt"
    path.write_text(INSTANCE)
    with pytest.raises(SystemExit) as done:
        main(["mdgp", str(path), "--seed", "-1", "--out", str(tmp_path / "g.txt")])
    assert done.value.code == 2 and "'-1' is not a seed" in capsys.readouterr().err
    out = tmp_path / "missing" / "g.txt"
    assert main(["mdgp", str(path), "--out", str(out), "--quiet"]) == 1
    assert f"revans group: cannot write {out}" in capsys.readouterr().err


def test_the_time_spent_compiling_counts_in_the_time_limit(tmp_path, monkeypatch):
    import time

    from revans.grouping import __main__ as cli
    from revans.grouping import kernel, make_solution

    path = tmp_path / "six.txt"
    path.write_text(INSTANCE)
    given = []

    def solve(problem, seconds, *rest):
        given.append(seconds)
        return make_solution(problem, [0, 0, 0, 1, 1, 1])

    monkeypatch.setattr(kernel, "compile_all", lambda: time.sleep(0.5))
    monkeypatch.setattr(cli, "solve", solve)
    main(["mdgp", str(path), "--seconds", "2", "--out", str(tmp_path / "g.txt"), "--quiet"])
    assert len(given) == 1 and given[0] <= 1.5  # two seconds, less the half spent compiling
