"""How fast the question coach labels questions and imports, against a no-op in the same run.

    .venv/bin/python bench/coach_speed.py [--n 20000]

One core: a single process, no threads. Prints one JSON line.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time

SAMPLE = [
    "What would success look like for you?",
    "Have you tried delegating it?",
    "Is the deadline fixed?",
    "Don't you think you should tell her?",
    "I hear how tired you are. What matters most to you now?",
    "How many staff are in each team?",
    "Tell me more about the meeting where it went wrong.",
    "Why don't you just ask your manager?",
]


def import_seconds(module: str) -> float:
    """The median wall time of a fresh interpreter importing ``module`` (and using it once)."""
    code = f"import {module}" + (
        "; revans.coach.classify('Why?')" if module == "revans.coach" else ""
    )
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args()
    from revans.coach import classify

    texts = [SAMPLE[i % len(SAMPLE)] for i in range(args.n)]
    start = time.perf_counter()
    for text in texts:
        classify(text)
    coach = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        len(text)
    noop = time.perf_counter() - start
    result = {
        "questions": args.n,
        "questions_per_second": round(args.n / coach),
        "noop_per_second": round(args.n / noop),
        "import_seconds": round(import_seconds("revans.coach"), 3),
        "baseline_import_seconds": round(import_seconds("json"), 3),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
