"""A practice session's running tally, kept in the Django session and never in the database:
per scenario, the last questions tried and the coach's label for each."""

from collections import Counter

from revans.coach import LABELS

SESSION_KEY = "question_practice"
KEEP = 20

# The coach's labels in plain words, in the order the tally lists them.
LABEL_NAMES = {
    "open": "Open question",
    "closed": "Closed question",
    "leading": "Leading question",
    "advice": "Advice phrased as a question",
    "statement": "Not a question yet",
}
assert set(LABEL_NAMES) == set(LABELS), "every label of the coach needs plain words"
# The stylesheet's badge colours: green for open, amber for the two that steer the presenter.
BADGES = {"open": "good", "leading": "warn", "advice": "warn"}


def tried(session, slug: str) -> list[dict]:
    """The questions tried on this scenario, oldest first: ``{"text": ..., "label": ...}``."""
    entries = session.get(SESSION_KEY, {}).get(slug, [])
    # Anything else in there (an older shape, a label the coach no longer gives) is dropped.
    return [
        {"text": e["text"], "label": e["label"]}
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("text"), str) and e.get("label") in LABEL_NAMES
    ]


def do_record(session, slug: str, text: str, label: str) -> list[dict]:
    entries = [*tried(session, slug), {"text": text, "label": label}][-KEEP:]
    practice = dict(session.get(SESSION_KEY, {}))
    practice[slug] = entries
    session[SESSION_KEY] = practice
    return entries


def do_reset(session, slug: str) -> None:
    practice = dict(session.get(SESSION_KEY, {}))
    if practice.pop(slug, None) is not None:
        session[SESSION_KEY] = practice


def tally(entries: list[dict]) -> list[tuple[str, str, int]]:
    """``(plain words, badge colour, count)`` for each label used at least once, in a fixed
    order."""
    counts = Counter(e["label"] for e in entries)
    return [
        (name, BADGES.get(label, ""), counts[label])
        for label, name in LABEL_NAMES.items()
        if counts[label]
    ]
