"""``python -m revans.coach "Have you tried…?"`` or ``--file questions.txt`` (one a line)."""

import argparse
import sys

from . import classify


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="revans coach", description="Label questions.")
    parser.add_argument("question", nargs="*", help="a question to label")
    parser.add_argument("--file", type=argparse.FileType("r", encoding="utf-8"))
    args = parser.parse_args(argv)
    texts = [" ".join(args.question)] if args.question else []
    if args.file:
        texts += [line.strip() for line in args.file if line.strip()]
    if not texts:
        parser.error("give a question, or --file with one question a line")
    for text in texts:
        v = classify(text)
        print(f"{v.label:<9} open {v.open_score:.2f}  {text}")
        print(f"          {v.hint}")
        if v.suggestion:
            print(f"          Try: {v.suggestion}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
