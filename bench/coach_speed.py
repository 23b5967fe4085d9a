"""How fast the question coach labels questions and imports, against a no-op in the same run.

    .venv/bin/python bench/coach_speed.py [--n 20000]

One core: a single process, no threads. Prints one JSON line. Besides the wall-clock rate, the
processor time per question (the best of five rounds), which other work on the machine disturbs
far less, for the sample of questions and for whole turns (statements, then a question).
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
TURNS = [
    "You should take it to your manager. What do you think?",
    "That sounds hard. What would help?",
    "The real problem is your manager. How do you get on with him?",
    "You said the team is split. How many are on each side?",
    "I'd just tell them no, but how would the team take it?",
    "I can hear how much this matters to you. What would a good outcome look like?",
    "It sounds like you're burnt out. When did you last take a break?",
    "Thanks, that's clearer now. Is Sam still on the project?",
]


def cpu_microseconds(classify, texts: list[str]) -> float:
    """Processor time per text, the best of five rounds."""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for text in texts:
            classify(text)
        best = min(best, time.process_time() - start)
    return best / len(texts) * 1e6


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
    rounds = max(1, args.n // 10)
    result = {
        "questions": args.n,
        "questions_per_second": round(args.n / coach),
        "cpu_us_per_question": round(cpu_microseconds(classify, texts[:rounds]), 1),
        "cpu_us_per_turn": round(
            cpu_microseconds(classify, [TURNS[i % len(TURNS)] for i in range(rounds)]), 1
        ),
        "noop_per_second": round(args.n / noop),
        "import_seconds": round(import_seconds("revans.coach"), 3),
        "baseline_import_seconds": round(import_seconds("json"), 3),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
