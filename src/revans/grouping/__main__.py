"""``revans group``: form sets from a cohort file, or solve an MDGPLIB instance.

    revans group COHORT.csv|.xlsx --size 6-8 [--sets N] [--seconds S] [--seed K]
                 [--weights organisation=3,sector=2] [--max-per-org K] [--in-company K]
                 -o SETS.csv|.xlsx
    revans group mdgp INSTANCE --seconds S --seed K --out FILE

A cohort (columns in ``revans.grouping.cohort``) gives SETS with email,name,set for each
person and a summary on stdout: the sets, their sizes and diversity, and every rule.
An MDGPLIB instance gives FILE with n lines, the group (0..m-1) of item i on line i; the
objective is printed last.
"""

import argparse
import math
import re
import sys
import time
from pathlib import Path

from . import Infeasible, solve
from .mdgplib import read

COHORT_USAGE = (
    "revans group COHORT.csv|.xlsx --size 6-8 [--sets N] [--seconds S] [--seed K] "
    "[--weights organisation=3,...] [--max-per-org K] [--in-company K] -o SETS.csv"
)


def progress_bar(fraction: float, best: float) -> None:
    """A one-line progress bar on stderr."""
    filled = int(30 * fraction)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%}  best {best:.3f}")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] != "mdgp" and not argv[0].startswith("-"):
        # The first argument is a cohort file: forming sets is what people run most.
        return cohort_main(argv)
    parser = argparse.ArgumentParser(
        prog="revans group",
        description="Form diverse groups.",
        epilog=f"To form sets from a cohort file: {COHORT_USAGE} (see --help after the file)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    mdgp = commands.add_parser("mdgp", help="solve an MDGPLIB instance (.txt or .txt.gz)")
    mdgp.add_argument("instance", type=Path)
    mdgp.add_argument("--seconds", type=seconds, default=10.0, help="time limit (default 10)")
    mdgp.add_argument("--seed", type=seed, default=0)
    mdgp.add_argument("--out", type=Path, required=True, help="where to write the groups")
    mdgp.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        problem = read(args.instance)
        from .kernel import compile_all

        # Compiled before the search (a first run compiles for seconds), and the time it takes
        # counts in the limit: the command ends when it said it would, the first run included.
        compile_all()
        left = max(0.0, args.seconds - (time.perf_counter() - started))
        bar = None if args.quiet else progress_bar
        solution = solve(problem, left, args.seed, bar)
    except (ValueError, Infeasible) as error:
        if not args.quiet:
            sys.stderr.write("\n")
        print(f"revans group: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        sys.stderr.write("\n")
    try:
        args.out.write_text("".join(f"{g}\n" for g in solution.assignment), encoding="ascii")
    except OSError as error:
        print(f"revans group: cannot write {args.out} ({error})", file=sys.stderr)
        return 1
    print(f"{solution.objective:.3f}")
    return 0


def size_range(text: str) -> tuple[int, int]:
    """``6-8`` (or ``7`` for exactly seven) as (6, 8)."""
    found = re.fullmatch(r"\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*", text)
    if not found:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size range such as 6-8")
    low = int(found.group(1))
    high = int(found.group(2) or low)
    if not 1 <= low <= high:
        raise argparse.ArgumentTypeError(f"{text!r}: the smallest size must be 1 to the largest")
    return low, high


def seconds(text: str) -> float:
    """A time limit: a finite number of seconds, 0 or more (NaN would never run out)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds, 0 or more")
    return value


def seed(text: str) -> int:
    """A random seed: a whole number, 0 or more (numpy refuses negative seeds)."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed: a whole number, 0 or more")
    return int(text)


def cohort_main(argv: list[str]) -> int:
    """Form sets from a cohort file; 0 when every rule holds, 1 on bad input or no solution."""
    from .cohort import parse_weights, read_cohort, write_sets
    from .cohort_file import CohortError

    parser = argparse.ArgumentParser(
        prog="revans group",
        usage=COHORT_USAGE,
        description="Form diverse sets from a cohort file (CSV or XLSX). Columns: email, "
        "name, organisation (required); sector, role_level, location, manager_email, "
        "availability (slots separated by ;), keep_apart (e-mails separated by ;), set (locked).",
    )
    parser.add_argument("cohort", type=Path, help="the cohort file (.csv or .xlsx)")
    parser.add_argument("--size", type=size_range, required=True, help="set sizes, e.g. 6-8")
    parser.add_argument(
        "--sets",
        type=int,
        help="the number of sets (default: the one closest to the middle of the size range)",
    )
    parser.add_argument("--seconds", type=seconds, default=10.0, help="time limit (default 10)")
    parser.add_argument("--seed", type=seed, default=0)
    parser.add_argument(
        "--weights",
        default="",
        help="attribute weights, e.g. organisation=3,sector=2,role_level=1.5,location=1 "
        "(those are the defaults; any other column can be given a weight)",
    )
    parser.add_argument(
        "--max-per-org",
        type=int,
        help="at most K people from one organisation in a set "
        "(default 2, or more when the largest organisation needs it)",
    )
    parser.add_argument(
        "--in-company",
        type=int,
        metavar="K",
        help="every organisation with at least K people forms its own sets (as small as K "
        "when K is below the smallest size), and everyone else is mixed (default: always mix "
        "organisations)",
    )
    parser.add_argument(
        "-o", "--out", type=Path, required=True, help="where to write email,name,set"
    )
    parser.add_argument(
        "--uneven",
        action="store_true",
        help="let set sizes use the whole range (default: as even as the cohort allows)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    bar = None if args.quiet else progress_bar
    try:
        cohort = read_cohort(args.cohort)
        formation = cohort.form(
            args.size,
            args.sets,
            parse_weights(args.weights),
            args.max_per_org,
            even=not args.uneven,
            in_company=args.in_company,
        )
        formed = formation.solve(args.seconds, args.seed, bar)
    except CohortError as error:
        if bar is not None:
            sys.stderr.write("\n")
        print(f"revans group: {error}", file=sys.stderr)
        return 1
    if bar is not None:
        sys.stderr.write("\n")
    try:
        write_sets(args.out, formed)
    except OSError as error:
        print(f"revans group: cannot write {args.out} ({error})", file=sys.stderr)
        return 1
    print(formed.summary())
    return 0 if formed.feasible else 1


if __name__ == "__main__":
    sys.exit(main())
