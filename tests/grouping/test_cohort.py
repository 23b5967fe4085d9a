"""Forming sets from a cohort file: the diversity matrix, every bad input named by its rows,
CSV and XLSX alike, the rules held in the sets formed, and the command that writes them."""

import csv

import numpy as np
import pytest
from openpyxl import Workbook, load_workbook

from revans.grouping import RuleKind
from revans.grouping.__main__ import main
from revans.grouping.cohort import (
    DEFAULT_WEIGHTS,
    RULE_KINDS,
    CohortError,
    cohort_from_rows,
    parse_weights,
    read_cohort,
    rule_groups,
)
from revans.grouping.cohort_file import COLUMNS

HEADER = list(COLUMNS)

# Sixteen people from five organisations; two manager pairs, a keep-apart pair, two slots.
PEOPLE = [
    ["ann@acme.org", "Ann", "Acme", "health", "5", "Leeds", "", "mon;tue", "", ""],
    ["bob@acme.org", "Bob", "Acme", "health", "3", "York", "ann@acme.org", "mon", "", ""],
    ["cat@acme.org", "Cat", "Acme", "health", "1", "Leeds", "bob@acme.org", "mon;tue", "", ""],
    ["dan@acme.org", "Dan", "Acme", "health", "2", "Hull", "", "tue", "", ""],
    ["eve@beta.org", "Eve", "Beta", "charity", "4", "Leeds", "", "mon;tue", "fay@beta.org", ""],
    ["fay@beta.org", "Fay", "Beta", "charity", "2", "York", "", "mon", "", ""],
    ["gus@beta.org", "Gus", "Beta", "charity", "1", "Hull", "", "", "", ""],
    ["hal@coda.org", "Hal", "Coda", "police", "senior", "Leeds", "", "tue", "", "Aurora"],
    ["ida@coda.org", "Ida", "Coda", "police", "junior", "York", "", "mon;tue", "", ""],
    ["jon@coda.org", "Jon", "Coda", "police", "3", "Hull", "", "mon", "", ""],
    ["kim@dove.org", "Kim", "Dove", "schools", "2", "Leeds", "", "mon;tue", "", ""],
    ["lee@dove.org", "Lee", "Dove", "schools", "4", "York", "", "tue", "", ""],
    ["max@dove.org", "Max", "Dove", "schools", "1", "Hull", "", "mon", "", ""],
    ["ned@echo.org", "Ned", "Echo", "council", "5", "Leeds", "", "mon;tue", "", ""],
    ["ola@echo.org", "Ola", "Echo", "council", "3", "York", "", "tue", "", ""],
    ["pia@echo.org", "Pia", "Echo", "council", "2", "Hull", "", "mon", "", ""],
]


def cohort(people=PEOPLE, header=HEADER):
    return cohort_from_rows(list(enumerate([header, *people], start=1)))


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def write_xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def errors_of(people, header=HEADER, **form):
    with pytest.raises(CohortError) as raised:
        c = cohort(people, header)
        if form:
            c.form(**form)
    return raised.value.errors


# The diversity matrix


def test_the_matrix_is_symmetric_with_a_zero_diagonal():
    d = cohort().diversity()
    assert d.shape == (16, 16)
    assert np.allclose(d, d.T)
    assert not np.diag(d).any()


def test_each_attribute_adds_its_weight():
    d = cohort().diversity()
    w = DEFAULT_WEIGHTS
    # Ann and Cat: same organisation, sector and location; role levels 5 and 1 span the cohort.
    assert d[0, 2] == pytest.approx(w["role_level"])
    # Ann and Eve: another organisation and sector, same location, levels 5 and 4.
    assert d[0, 4] == pytest.approx(w["organisation"] + w["sector"] + w["role_level"] / 4)
    # Ann and Fay: everything differs, levels 5 and 2.
    assert d[0, 5] == pytest.approx(sum(w.values()) - w["role_level"] + 3 / 4 * w["role_level"])


def test_named_role_levels_count_as_numbers():
    d = cohort().diversity({"organisation": 0, "sector": 0, "location": 0})
    hal, ida, bob = 7, 8, 1  # senior = 4, junior = 2, and 3
    assert d[hal, ida] == pytest.approx(1.5 * 2 / 4)
    assert d[hal, bob] == pytest.approx(1.5 * 1 / 4)


def test_weights_set_by_the_manager_replace_the_defaults():
    c = cohort()
    d = c.diversity(parse_weights("organisation=10,sector=0,role_level=0,location=0"))
    assert d[0, 4] == 10 and d[0, 1] == 0


def test_an_extra_column_counts_when_it_is_given_a_weight():
    header = [*HEADER, "gender"]
    people = [[*p, "f" if k % 2 else "m"] for k, p in enumerate(PEOPLE)]
    c = cohort(people, header)
    assert np.allclose(c.diversity(), cohort().diversity())
    extra = c.diversity({"gender": 2}) - c.diversity()
    assert extra[0, 1] == 2 and extra[0, 2] == 0


def test_an_unknown_weight_or_a_negative_one_is_an_error():
    with pytest.raises(CohortError) as raised:
        cohort().diversity({"height": 1, "sector": -1})
    assert "'height': no such attribute" in raised.value.errors[0]
    assert "cannot be negative" in raised.value.errors[1]
    with pytest.raises(CohortError, match="weights must be finite"):
        cohort().diversity(parse_weights("organisation=1e400"))
    with pytest.raises(CohortError, match="not name=number"):
        parse_weights("organisation=lots")


# Bad input, named by its rows


def test_missing_required_columns_are_named():
    header = [h for h in HEADER if h not in ("email", "organisation")]
    people = [[c for h, c in zip(HEADER, p, strict=True) if h in header] for p in PEOPLE]
    (error,) = errors_of(people, header)
    assert error.startswith("row 1: missing required columns email, organisation")


def test_duplicate_emails_name_every_row():
    people = [*PEOPLE, [*PEOPLE[3][:1], "Dan again", *PEOPLE[3][2:]]]
    people[6] = ["DAN@acme.org", *people[6][1:]]
    assert errors_of(people) == ["rows 5, 8 and 18: duplicate e-mail dan@acme.org"]


def test_an_empty_organisation_names_its_row():
    people = [*PEOPLE]
    people[2] = [*people[2][:2], "", *people[2][3:]]
    assert errors_of(people) == ["row 4: empty organisation"]


def test_a_manager_outside_the_cohort_names_the_row():
    people = [*PEOPLE]
    people[0] = [*people[0][:6], "boss@acme.org", *people[0][7:]]
    assert errors_of(people) == ["row 2: manager boss@acme.org is not in the cohort"]


def test_a_keep_apart_email_outside_the_cohort_names_the_row():
    people = [*PEOPLE]
    people[9] = [*people[9][:8], "fay@beta.org; who@nowhere.org", ""]
    assert errors_of(people) == ["row 11: keep_apart who@nowhere.org is not in the cohort"]


def test_an_unparseable_role_level_names_the_row():
    people = [*PEOPLE]
    people[1] = [*people[1][:4], "very senior", *people[1][5:]]
    (error,) = errors_of(people)
    assert error.startswith("row 3: role level 'very senior' is not a number or one of entry")


def test_every_row_error_is_listed_at_once():
    people = [*PEOPLE]
    people[0] = ["not-an-email", *people[0][1:]]
    people[4] = [*people[4][:2], "", "x", "top", *people[4][5:]]
    errors = errors_of(people)
    assert errors == [
        "row 2: 'not-an-email' is not an e-mail address",
        "row 3: manager ann@acme.org is not in the cohort",
        "row 6: empty organisation",
        "row 6: role level 'top' is not a number or one of entry, junior, middle, senior, executive",
    ]


def test_more_people_than_the_sets_can_hold_is_an_error():
    errors = errors_of(PEOPLE, size=(3, 4), sets=3)
    assert "maximum sizes add up to 12, fewer than the 16 people" in errors[0]


def test_a_keep_apart_clique_larger_than_the_sets_is_an_error():
    people = [*PEOPLE]
    people[0] = [*people[0][:8], "eve@beta.org;hal@coda.org", ""]
    people[4] = [*people[4][:8], "hal@coda.org", ""]
    errors = errors_of(people, size=(7, 9), sets=2)
    assert any(
        "ann@acme.org, eve@beta.org, hal@coda.org must all be kept apart" in e
        and "only 2 sets" in e
        for e in errors
    ), errors


def test_a_keep_apart_cycle_that_two_sets_cannot_colour_is_an_error():
    # Five people in a ring of keep-apart rules: no three of them are all apart from each
    # other, yet two sets cannot hold the ring.
    ring = ["ann@acme.org", "eve@beta.org", "hal@coda.org", "kim@dove.org", "ned@echo.org"]
    people = [list(p) for p in PEOPLE]
    by_email = {p[0]: p for p in people}
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        by_email[a][8] = b
    people[0][7] = people[4][7] = "mon;tue"
    errors = errors_of(people, size=(7, 9), sets=2, max_per_organisation=4)
    # Ann manages Bob, who manages Cat: the three join the ring's part of the rules.
    assert errors == [
        "the keep-apart rules (managers included) among ann@acme.org, bob@acme.org, "
        "cat@acme.org, eve@beta.org, hal@coda.org, kim@dove.org, ned@echo.org "
        "cannot all be held with only 2 sets"
    ]


def test_sizes_that_no_number_of_sets_fits_is_an_error():
    assert errors_of(PEOPLE[:4], size=(6, 8)) == ["4 people cannot be split into sets of 6–8"]


# Reading files


def test_csv_and_xlsx_read_the_same_cohort(tmp_path):
    from_csv = read_cohort(write_csv(tmp_path / "c.csv", [HEADER, *PEOPLE]))
    from_xlsx = read_cohort(write_xlsx(tmp_path / "c.xlsx", [HEADER, *PEOPLE]))
    assert from_csv.people == from_xlsx.people
    hal = from_csv.people[7]
    assert (hal.row, hal.role_level, hal.locked) == (9, 4.0, "Aurora")
    assert from_csv.people[1].availability == {"mon"}
    assert from_csv.people[4].keep_apart == ("fay@beta.org",)


def test_xlsx_numbers_and_empty_cells_read_as_text(tmp_path):
    rows = [["Email", "Name", "Organization", "Role level"], ["a@b.org", "A", "B", 3.0]]
    rows += [[None, None, None, None], ["c@d.org", None, "D", 2]]
    people = read_cohort(write_xlsx(tmp_path / "c.xlsx", rows)).people
    assert [(p.email, p.name, p.role_level, p.row) for p in people] == [
        ("a@b.org", "A", 3.0, 2),
        ("c@d.org", "", 2.0, 4),
    ]


def test_a_semicolon_separated_csv_from_excel_reads(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes('\ufeffemail;name;organisation;availability\na@b.org;Ä;B;"mon;tue"\n'.encode())
    (person,) = read_cohort(path).people
    assert (person.name, person.availability) == ("Ä", {"mon", "tue"})


def test_a_file_that_is_not_xlsx_is_an_error_not_a_traceback(tmp_path):
    path = tmp_path / "c.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CohortError, match=r"c\.xlsx: 1 problem:\n  not a readable \.xlsx file"):
        read_cohort(path)


# Sets formed


def test_the_number_of_sets_makes_sizes_closest_to_the_middle_of_the_range():
    c = cohort()
    assert c.number_of_sets((3, 5)) == 4  # 16 / 4 = 4, the middle
    assert c.number_of_sets((6, 8)) == 2  # only 2 fit: 3 sets would hold at least 18
    assert cohort([*PEOPLE, *PEOPLE[:0]]).number_of_sets((2, 6)) == 4


def test_every_rule_holds_in_the_sets_formed():
    formed = (
        cohort().form((3, 5), sets=4, max_per_organisation=1).solve(60, seed=1, max_iterations=200)
    )
    sets = formed.sets()
    assert len(sets) == 4 and all(3 <= len(s) <= 5 for s in sets.values())
    assert formed.feasible and formed.solution.feasible
    where = {p.email: name for name, members in sets.items() for p in members}
    assert where["ann@acme.org"] != where["bob@acme.org"]  # manager and report
    assert where["bob@acme.org"] != where["cat@acme.org"]
    assert where["eve@beta.org"] != where["fay@beta.org"]  # keep apart
    assert where["hal@coda.org"] == "Aurora"  # locked
    for members in sets.values():
        assert len({p.organisation for p in members}) == len(members)  # at most 1 per organisation
        assert frozenset.intersection(*(p.availability or {"mon", "tue"} for p in members))


def test_each_rule_carries_its_kind_from_where_it_is_checked():
    formed = (
        cohort().form((3, 5), sets=4, max_per_organisation=1).solve(60, seed=1, max_iterations=50)
    )
    kinds = {}
    for check in formed.rules():
        kinds.setdefault(check.kind, []).append(check.rule)
    # No must-link pairs in a cohort, and no in-company sets unless asked (test_in_company.py).
    assert set(kinds) == set(RuleKind) - {RuleKind.TOGETHER, RuleKind.OWN_GROUPS}
    assert all(r.startswith("manager and report") for r in kinds[RuleKind.MANAGER])
    assert all(r.startswith("keep apart") for r in kinds[RuleKind.APART])
    assert [name for name, _ in rule_groups(formed.rules())] == [
        name for kind, name in RULE_KINDS.items() if kind != RuleKind.OWN_GROUPS
    ]


def test_a_larger_cohort_is_searched_and_holds_every_rule():
    people = [
        [
            *(f"p{k}@o{k % 9}.org", f"P{k}", f"Org {k % 9}", f"s{k % 4}", str(k % 5 + 1)),
            f"l{k % 3}",
            f"p{k - 9}@o{k % 9}.org" if k % 7 == 0 and k >= 9 else "",
            "a;b" if k % 2 else "b;c",
            f"p{k + 1}@o{(k + 1) % 9}.org" if k % 11 == 0 else "",
            "",
        ]
        for k in range(40)
    ]
    formation = cohort(people).form((5, 7))
    formed = formation.solve(60, seed=2, max_iterations=100)
    assert formation.problem.m == 7 and formed.feasible
    rules = formed.rules()
    assert len(formation.manager_pairs) == 4 and len(formation.apart_pairs) == 4
    assert all(c.held for c in rules)
    assert formed.solution.objective > formation.solve(60, 2, max_iterations=0).solution.objective


# The command


def test_the_command_writes_email_name_set_and_prints_every_rule(tmp_path, capsys):
    path = write_xlsx(tmp_path / "cohort.xlsx", [HEADER, *PEOPLE])
    out = tmp_path / "sets.csv"
    code = main([str(path), "--size", "3-5", "--seconds", "0.3", "--seed", "4", "-o", str(out)])
    assert code == 0
    with open(out, encoding="utf-8") as source:
        rows = list(csv.reader(source))
    assert rows[0] == ["email", "name", "set"]
    assert [r[0] for r in rows[1:]] == [p[0] for p in PEOPLE]
    assert dict((r[0], r[2]) for r in rows[1:])["hal@coda.org"] == "Aurora"
    printed = capsys.readouterr()
    assert printed.out.startswith("4 sets from 16 people: ")
    for line in ("managers never with their reports: 2 of 2", "keep-apart pairs apart: 1 of 1"):
        assert f"held    {line}" in printed.out
    assert "every rule held" in printed.out
    assert "100%" in printed.err


def test_the_command_writes_xlsx_and_takes_weights_and_a_set_count(tmp_path, capsys):
    path = write_csv(tmp_path / "cohort.csv", [HEADER, *PEOPLE])
    out = tmp_path / "sets.xlsx"
    argv = [str(path), "--size", "4-7", "--sets", "3", "--weights", "organisation=5,location=0"]
    argv += ["--max-per-org", "2", "--seconds", "0.2"]
    assert main([*argv, "-o", str(out), "--quiet"]) == 0
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("email", "name", "set") and len(rows) == 17
    assert "3 sets from 16 people" in capsys.readouterr().out


def test_the_command_reports_bad_rows_without_a_traceback(tmp_path, capsys):
    people = [*PEOPLE, PEOPLE[0]]
    path = write_csv(tmp_path / "cohort.csv", [HEADER, *people])
    assert main([str(path), "--size", "3-5", "-o", str(tmp_path / "s.csv"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert (
        "revans group: cohort.csv: 1 problem:\n  rows 2 and 18: duplicate e-mail ann@acme.org"
        in err
    )
    assert not (tmp_path / "s.csv").exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--seconds", "nan"], "'nan' is not a number of seconds"),
        (["--seconds", "-1"], "'-1' is not a number of seconds"),
        (["--seed", "-1"], "'-1' is not a seed"),
    ],
)
def test_a_bad_time_limit_or_seed_is_a_usage_error(tmp_path, capsys, option, message):
    path = write_csv(tmp_path / "cohort.csv", [HEADER, *PEOPLE])
    with pytest.raises(SystemExit) as done:
        main([str(path), "--size", "3-5", *option, "-o", str(tmp_path / "s.csv")])
    assert done.value.code == 2
    assert message in capsys.readouterr().err


def test_an_unwritable_output_is_an_error_message_not_a_traceback(tmp_path, capsys):
    path = write_csv(tmp_path / "cohort.csv", [HEADER, *PEOPLE])
    out = tmp_path / "missing" / "s.csv"
    argv = [str(path), "--size", "3-5", "--seconds", "0.2", "-o", str(out), "--quiet"]
    assert main(argv) == 1
    assert f"revans group: cannot write {out}" in capsys.readouterr().err


def test_mdgp_still_has_its_own_command(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["mdgp", "--help"])
    assert "--out" in capsys.readouterr().out


def test_sets_are_as_even_as_the_cohort_allows_unless_asked_otherwise():
    c = cohort()  # 16 people
    assert c.form((2, 6), sets=3).problem.bounds[0] == (5, 6)  # 16 = 5 + 5 + 6
    assert c.form((2, 6), sets=3, even=False).problem.bounds[0] == (2, 6)
    assert c.form((6, 8), sets=2).problem.bounds[0] == (8, 8)


def test_sets_can_be_named_and_a_locked_label_must_be_one_of_them():
    formation = cohort().form((3, 5), set_names=["North", "Aurora", "South", "East"])
    assert formation.set_names == ["North", "Aurora", "South", "East"]
    assert formation.problem.m == 4 and formation.problem.locked[7] == 1  # hal, in Aurora
    formed = formation.solve(60, seed=1, max_iterations=100)
    assert formed.set_of(7) == "Aurora" and formed.feasible
    assert "the set column names sets that are not formed: Aurora" in errors_of(
        PEOPLE, size=(3, 5), set_names=["1", "2", "3", "4"]
    )


def test_check_false_reports_on_sets_that_cannot_hold_every_rule():
    with pytest.raises(CohortError, match="16 people"):
        cohort().form((1, 1), sets=2)
    formation = cohort().form((1, 1), sets=2, check=False)
    assert formation.problem.m == 2


def test_the_sets_written_keep_names_that_look_like_formulas_as_text(tmp_path):
    people = [list(p) for p in PEOPLE]
    people[0][1], people[1][1] = "=1+1", ";=2+2"
    path = write_csv(tmp_path / "cohort.csv", [HEADER, *people])
    for out in (tmp_path / "sets.csv", tmp_path / "sets.xlsx"):
        assert (
            main([str(path), "--size", "3-5", "--seconds", "0.1", "-o", str(out), "--quiet"]) == 0
        )
        if out.suffix == ".csv":
            with open(out, encoding="utf-8") as source:
                names = [r[1] for r in csv.reader(source)]
            assert names[1:3] == ["'=1+1", "';=2+2"]
        else:
            cells = [row[1] for row in load_workbook(out).active.iter_rows()]
            assert cells[1].data_type == "s" and cells[1].value == "=1+1"
