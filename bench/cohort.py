"""Forming sets from a real-sized cohort: 400 people from 60 organisations into sets of 6–8.

    .venv/bin/python bench/cohort.py [--people 400] [--seconds 10] [--seed 1] [--write FILE]

Generates a cohort (fixed by --seed): 60 organisations of skewed sizes (a few large, many of
one to three people), each in one of 8 sectors with a home among 10 locations; 5 role levels
(more junior than senior); about 60 manager/report pairs inside organisations; about 40
keep-apart pairs; each person free in 2–4 of 6 slots, the popular slots more often. It forms
sets of 6–8 with the default weights and rules (at most 2 per organisation) within --seconds
and prints one JSON line: whether every rule held, seconds to the first rule-holding
assignment and in all, the objective, and the baseline measured in the same run: the engine's
own first rule-holding assignment (a randomised greedy placement), and the ratio to it.
--write saves the cohort as CSV (the columns of ``revans group``).
"""

import argparse
import csv
import json
import time

from revans.grouping.cohort import Roster, cohort_from_rows
from revans.grouping.sample import generate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", help="also save the generated cohort as CSV")
    args = parser.parse_args()
    rows = generate(people=args.people, seed=args.seed)
    if args.write:
        with open(args.write, "w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)
    cohort: Roster = cohort_from_rows(list(enumerate(rows, start=1)), source="generated")
    started = time.perf_counter()
    formation = cohort.form((6, 8))
    baseline = formation.solve(60, args.seed, method="search", max_iterations=0)
    baseline_s = time.perf_counter() - started

    first: list[float] = []

    def progress(fraction: float, best: float) -> None:
        if not first:
            first.append(time.perf_counter() - started)

    started = time.perf_counter()
    formation = cohort.form((6, 8))
    formed = formation.solve(args.seconds, args.seed, progress)
    total_s = time.perf_counter() - started
    rules = formed.rules()
    organisations = len({p.organisation for p in cohort.people})
    print(
        json.dumps(
            {
                "people": cohort.n,
                "organisations": organisations,
                "largest_organisation": max(
                    sum(p.organisation == o.organisation for p in cohort.people)
                    for o in cohort.people
                ),
                "manager_pairs": len(formation.manager_pairs),
                "keep_apart_pairs": len(formation.apart_pairs),
                "sets": formation.problem.m,
                "sizes": sorted({len(s) for s in formed.sets().values()}),
                "max_per_organisation": formation.problem.max_per_organisation,
                "feasible": formed.feasible and formed.solution.feasible,
                "rules_held": f"{sum(c.held for c in rules)} of {len(rules)}",
                "first_feasible_s": round(first[0] if first else total_s, 3),
                "total_s": round(total_s, 3),
                "iterations": formed.solution.iterations,
                "objective": round(formed.solution.objective, 2),
                "mean_pair_diversity": round(formed.mean_pair_diversity, 3),
                "baseline_objective": round(baseline.solution.objective, 2),
                "baseline_mean_pair_diversity": round(baseline.mean_pair_diversity, 3),
                "baseline_s": round(baseline_s, 3),
                "ratio_to_baseline": round(
                    formed.solution.objective / baseline.solution.objective, 4
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
