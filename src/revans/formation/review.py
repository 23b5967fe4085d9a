"""How the review screen reads a proposal: every set's diversity on one scale, a set that breaks a
rule never seen as the better for it, and sets found by their name or a person's name.

A set's raw score (``BoardSet.score``) is a sum over its pairs: a set of eight holds 28 pairs, a
set of six 15, so raw scores of sets of different sizes cannot be compared, and a set made too big
by hand would look the most diverse. The review shows instead the mean diversity of two people in
the set, as a share of the diversity of the cohort's two most different people: 0–100, the same
for every set whatever its size.
"""

from dataclasses import dataclass

from .board import Board, BoardSet

MAX_FIND = 100  # characters of a search; nobody's name is longer


@dataclass
class Scale:
    """The proposal's figures on the 0–100 scale."""

    mean: int  # the sets' mean (over every pair in a set)
    random: int  # two people of the cohort picked at random, on average
    held_mean: int | None  # the mean of the sets that keep every rule (None: there are none)


def mark(per_pair: float, best_pair: float) -> int:
    """Mean pair diversity on the 0–100 scale (0 when nobody in the cohort differs)."""
    if best_pair <= 0:
        return 0
    return round(100 * min(per_pair, best_pair) / best_pair)


def set_mark(board_set: BoardSet, best_pair: float) -> int:
    n = len(board_set.members)
    pairs = n * (n - 1) // 2
    return mark(board_set.score / pairs if pairs else 0.0, best_pair)


def find_text(board_set: BoardSet) -> str:
    """What a search looks in (the set's name, its people's names and e-mails), for the server
    and for the page's script alike."""
    words = [str(board_set.proposed)]
    words += [p.name for p in board_set.members] + [p.email for p in board_set.members]
    return "\n".join(words).casefold()


def clean_find(value: str) -> str:
    """A search as typed, without control characters or runs of spaces, at most MAX_FIND long."""
    printable = "".join(ch if ch.isprintable() else " " for ch in value)
    return " ".join(printable.split())[:MAX_FIND]


def read(board: Board, find: str = "") -> Scale:
    """Give each set its ``mark``, ``find_text``, ``hidden`` (it does not match ``find``) and
    ``above_held``: for a set that breaks a rule and scores above the mean of the sets that keep
    them all, so that its score is never read as the better set without the reason beside it."""
    held = []
    for board_set in board.sets:
        board_set.mark = set_mark(board_set, board.best_pair)
        board_set.find_text = find_text(board_set)
        board_set.hidden = bool(find) and find.casefold() not in board_set.find_text
        if not board_set.broken:
            held.append(board_set.mark)
    held_mean = round(sum(held) / len(held)) if held else None
    for board_set in board.sets:
        board_set.above_held = bool(
            board_set.broken and held_mean is not None and board_set.mark > held_mean
        )
    return Scale(
        mean=mark(board.per_pair, board.best_pair),
        random=mark(board.cohort_per_pair, board.best_pair),
        held_mean=held_mean,
    )
