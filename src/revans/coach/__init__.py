"""The question coach: labels a question open, closed, leading or advice (or a statement), with a
hint for the asker and, where one can be made, an open rewrite (architecture.md §5). It hears the
whole turn: a suggestion or a diagnosis said before the question counts.

Pure Python: it imports nothing from Django and needs no network.

    >>> classify("Have you tried delegating it?").label
    'advice'
"""

from .engine import LABELS, MAX_LENGTH, Verdict, classify, classify_many

__all__ = ["LABELS", "MAX_LENGTH", "Verdict", "classify", "classify_many"]
