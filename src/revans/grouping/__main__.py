"""``revans group mdgp INSTANCE --seconds S --seed K --out FILE``: solve an MDGPLIB instance.

FILE gets n lines, the group (0..m-1) of item i on line i; the objective is printed last.
"""

import argparse
import sys
from pathlib import Path

from . import Infeasible, solve
from .mdgplib import read


def progress_bar(fraction: float, best: float) -> None:
    """A one-line progress bar on stderr."""
    filled = int(30 * fraction)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%}  best {best:.3f}")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="revans group", description="Form diverse groups.")
    commands = parser.add_subparsers(dest="command", required=True)
    mdgp = commands.add_parser("mdgp", help="solve an MDGPLIB instance (.txt or .txt.gz)")
    mdgp.add_argument("instance", type=Path)
    mdgp.add_argument("--seconds", type=float, default=10.0, help="time limit (default 10)")
    mdgp.add_argument("--seed", type=int, default=0)
    mdgp.add_argument("--out", type=Path, required=True, help="where to write the groups")
    mdgp.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        problem = read(args.instance)
        bar = None if args.quiet else progress_bar
        solution = solve(problem, args.seconds, args.seed, bar)
    except (ValueError, Infeasible) as error:
        if not args.quiet:
            sys.stderr.write("\n")
        print(f"revans group: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        sys.stderr.write("\n")
    args.out.write_text("".join(f"{g}\n" for g in solution.assignment), encoding="ascii")
    print(f"{solution.objective:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
