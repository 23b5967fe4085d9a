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

import numpy as np

from revans.grouping.cohort import Cohort, cohort_from_rows

COLUMNS = [
    "email",
    "name",
    "organisation",
    "sector",
    "role_level",
    "location",
    "manager_email",
    "availability",
    "keep_apart",
]
SLOTS = ["mon am", "mon pm", "tue am", "wed pm", "thu am", "fri am"]


def generate(
    people: int = 400,
    organisations: int = 60,
    sectors: int = 8,
    locations: int = 10,
    managers: int = 60,
    apart: int = 40,
    seed: int = 1,
) -> list[list[str]]:
    """The rows of a generated cohort file, header first."""
    rng = np.random.default_rng(seed)
    share = 1.0 / np.arange(1, organisations + 1) ** 0.9
    sizes = 1 + rng.multinomial(people - organisations, share / share.sum())
    org_sector = rng.integers(0, sectors, organisations)
    org_home = rng.integers(0, locations, organisations)
    popularity = np.array([6, 5, 4, 3, 2, 1], dtype=float)
    rows: list[dict[str, str]] = []
    for org, size in enumerate(sizes):
        for _ in range(size):
            k = len(rows)
            home = org_home[org] if rng.random() < 0.7 else rng.integers(locations)
            count = int(rng.integers(2, 5))
            slots = rng.choice(len(SLOTS), count, replace=False, p=popularity / popularity.sum())
            rows.append(
                {
                    "email": f"p{k:03d}@org{org:02d}.example",
                    "name": f"Person {k}",
                    "organisation": f"Organisation {org:02d}",
                    "sector": f"Sector {org_sector[org]}",
                    "role_level": str(int(rng.choice(5, p=[0.3, 0.3, 0.2, 0.13, 0.07])) + 1),
                    "location": f"Location {home}",
                    "manager_email": "",
                    "availability": ";".join(SLOTS[s] for s in sorted(slots)),
                    "keep_apart": "",
                    "org": org,
                }
            )
    by_org: dict[int, list[int]] = {}
    for k, row in enumerate(rows):
        by_org.setdefault(row["org"], []).append(k)
    pairs = 0
    candidates = [ks for ks in by_org.values() if len(ks) >= 2]
    while pairs < managers:
        ks = candidates[int(rng.integers(len(candidates)))]
        boss, report = (int(k) for k in rng.choice(ks, 2, replace=False))
        if rows[report]["manager_email"] or rows[boss]["manager_email"] == rows[report]["email"]:
            continue
        rows[report]["manager_email"] = rows[boss]["email"]
        pairs += 1
    taken = {
        tuple(
            sorted((k, next(j for j, r in enumerate(rows) if r["email"] == row["manager_email"])))
        )
        for k, row in enumerate(rows)
        if row["manager_email"]
    }
    pairs = 0
    while pairs < apart:
        i, j = sorted(int(k) for k in rng.choice(len(rows), 2, replace=False))
        if (i, j) in taken:
            continue
        taken.add((i, j))
        extra = rows[i]["keep_apart"]
        rows[i]["keep_apart"] = f"{extra};{rows[j]['email']}" if extra else rows[j]["email"]
        pairs += 1
    return [COLUMNS, *([row[c] for c in COLUMNS] for row in rows)]


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
    cohort: Cohort = cohort_from_rows(list(enumerate(rows, start=1)), source="generated")
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
