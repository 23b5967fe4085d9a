"""Searching the guide: every heading's part of every page, ranked with matches in a heading
first. The guide is small and fixed, so a scan of its words is quick, and each query's results
are kept for the life of the process."""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .markdown import Part
from .pages import Page, all_pages

MAX_QUERY = 100  # characters searched; a longer query is cut, with a message
MAX_TERMS = 8
MAX_RESULTS = 20
SNIPPET = 200  # characters of a part's words around the first match
TERM = re.compile(r"\w+")
# Words too common to search for on their own (a query of nothing else searches them anyway).
STOP = frozenset(
    ("a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "for", "from", "how", "i",
     "in", "is", "it", "of", "on", "or", "the", "to", "we", "what", "when", "where", "who",
     "why", "with", "you", "your")
)  # fmt: skip


@dataclass(frozen=True)
class Result:
    page: Page
    title: str  # the heading's words, or the page's title for its introduction
    anchor: str
    snippet: SafeString

    @property
    def url(self) -> str:
        url = self.page.get_absolute_url()
        return f"{url}#{self.anchor}" if self.anchor else url


def terms(query: str) -> tuple[str, ...]:
    """The words of ``query`` to look for: lower case, no repeats, no single letters, common
    words dropped unless nothing else is left, at most MAX_TERMS."""
    found = (w.lower() for w in TERM.findall(query[:MAX_QUERY]))
    words = list(dict.fromkeys(w for w in found if len(w) > 1))
    kept = [w for w in words if w not in STOP] or words
    return tuple(kept[:MAX_TERMS])


def _pattern(words: tuple[str, ...]) -> re.Pattern:
    # A word matches at the start of a word and may run on: "question" finds "questioning".
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)


def _found(word: str, text: str) -> int:
    return len(re.findall(r"\b" + re.escape(word), text, re.IGNORECASE))


def highlight(text: str, words: tuple[str, ...]) -> SafeString:
    """``text`` escaped, with each word found marked; nothing of ``text`` reaches the page
    unescaped."""
    pattern = _pattern(words)
    out: list[str] = []
    at = 0
    for match in pattern.finditer(text):
        out.append(escape(text[at : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        at = match.end()
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # every piece of text above is escaped


def snippet(text: str, words: tuple[str, ...], from_start: bool = False) -> SafeString:
    """About SNIPPET characters of ``text`` around the first word found (or from its start, for
    a section whose heading matched), cut at spaces."""
    match = None if from_start else _pattern(words).search(text)
    start = max(0, (match.start() if match else 0) - SNIPPET // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + SNIPPET)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = text[start:end]
    return mark_safe(
        ("… " if start else "") + highlight(piece, words) + (" …" if end < len(text) else "")
    )


def _rank(page: Page, part: Part, words: tuple[str, ...]) -> tuple[int, int, int, int, int]:
    """(words in the heading, minus the heading's other words when it has some of them, words
    in the page's title, words found, times found): "Ground rules" before "Ground rules,
    developed by the group" for "ground rules"."""
    heading = part.title if part.id else page.title
    in_heading = sum(1 for w in words if _found(w, heading))
    others = len(TERM.findall(heading)) - in_heading if in_heading else 0
    in_title = sum(1 for w in words if _found(w, page.title))
    counts = [_found(w, part.text) for w in words]
    found = sum(
        1
        for w, n in zip(words, counts, strict=True)
        if n or _found(w, heading) or _found(w, page.title)
    )
    return in_heading, -others, in_title, found, min(sum(counts), 20)


@lru_cache(maxsize=256)
def _search(words: tuple[str, ...]) -> tuple[Result, ...]:
    scored = []
    for k, page in enumerate(all_pages()):
        for j, part in enumerate(page.parts):
            rank = _rank(page, part, words)
            if rank[0] or rank[3]:
                scored.append((rank, k, j, page, part))
    # Parts with every word first; if none has them all, parts with any of them.
    every = [s for s in scored if s[0][3] == len(words)]
    chosen = every or scored
    chosen.sort(key=lambda s: (tuple(-n for n in s[0]), s[1], s[2]))
    return tuple(
        Result(
            page=page,
            title=part.title if part.id else page.title,
            anchor=part.id,
            snippet=snippet(part.text, words, from_start=rank[0] > 0),
        )
        for rank, _, _, page, part in chosen[:MAX_RESULTS]
    )


def search(query: str) -> tuple[Result, ...]:
    """The parts of the guide that match ``query``, best first: a match in a section's heading
    before one in the page's title, before one in the words alone."""
    words = terms(query)
    return _search(words) if words else ()
