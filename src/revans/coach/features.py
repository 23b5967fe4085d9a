"""Features of a question for the learned part of the coach: its words and word pairs, its first
words, and what the grammar rules say about it. Plain Python, so the shipped model needs nothing
but a dictionary of weights."""

import itertools
import re

WORD = re.compile(r"[a-z']+")


def features(question: str, rules: tuple[str, ...]) -> dict[str, float]:
    words = WORD.findall(question.lower().replace("’", "'"))
    found: dict[str, float] = {f"rule:{rule}": 1.0 for rule in rules}
    for word in words:
        found[f"w:{word}"] = 1.0
    for first, second in itertools.pairwise(words):
        found[f"b:{first} {second}"] = 1.0
    for position, word in enumerate(words[:3]):
        found[f"p{position}:{word}"] = 1.0
    found[f"len:{min(len(words), 12) // 3}"] = 1.0
    return found
