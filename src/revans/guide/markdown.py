"""The guide's Markdown: rendered with markdown-it-py (raw HTML off), cut at its headings, and
sanitised with nh3, as learning log entries are (journal/markdown.py, a higher layer).

The guide's words ship with Revans, so the renderer trusts them more than a member's entry in
one way only: headings carry ids, so that other pages (the live room's phases, a technique)
can link to ``page#section``. ``## Check-in {#check-in}`` names its id; a heading without one
gets one made from its words.
"""

import re
from dataclasses import dataclass
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "blockquote", "ul", "ol", "li", "code",
    "pre", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href"},
    "ol": {"start"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "td": {"data-label"},
}
EXPLICIT_ID = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$")


@dataclass(frozen=True)
class Part:
    """One heading of a page and what follows it up to the next heading (the first part, with
    no heading, is the page's introduction: ``level`` 1 and an empty ``id``)."""

    id: str
    title: str
    level: int
    html: str
    text: str  # the words alone, for search


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    md.enable(["table", "replacements", "smartquotes"])
    return md


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def slugify(text: str) -> str:
    """An id from a heading's words: lower case, letters and digits, single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _heading_id(inline: Token) -> tuple[str, str]:
    """(id, title) of a heading, taking a trailing ``{#id}`` off its words if it has one."""
    match = EXPLICIT_ID.search(inline.content)
    if match:
        inline.content = inline.content[: match.start()]
        last = (inline.children or [])[-1]
        last.content = EXPLICIT_ID.sub("", last.content)
    # The title as shown (curly quotes and all), for the contents list and search results.
    title = _words([inline])
    return (match.group(1) if match else slugify(inline.content)), title


def _label_cells(tokens: list[Token]) -> None:
    """Each table cell names its column's heading (``data-label``), so that on a phone, where
    the guide's tables stack row by row, every value keeps its heading beside it."""
    headings: list[str] = []
    column = 0
    for k, token in enumerate(tokens):
        if token.type == "table_open":
            headings = []
        elif token.type == "th_open":
            headings.append(tokens[k + 1].content)
        elif token.type == "tr_open":
            column = 0
        elif token.type == "td_open":
            # The first column holds each row's own heading: it needs no name.
            if 0 < column < len(headings) and headings[column]:
                token.attrSet("data-label", headings[column])
            column += 1


def _words(tokens: list[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.extend(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or []
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            parts.append(" ")
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _html(md: MarkdownIt, tokens: list[Token]) -> str:
    return _cleaner().clean(md.renderer.render(tokens, md.options, {}))


def render_parts(text: str) -> list[Part]:
    """``text`` (Markdown) as its parts, each rendered and sanitised on its own: the page is
    their HTML one after another, and a section can be shown alone (in the live room)."""
    md = _parser()
    tokens = md.parse(text)
    _label_cells(tokens)
    seen: set[str] = set()
    groups: list[tuple[str, str, int, list[Token]]] = [("", "", 1, [])]
    for k, token in enumerate(tokens):
        if token.type == "heading_open":
            id_, title = _heading_id(tokens[k + 1])
            unique, n = id_, 1
            while unique in seen:
                n += 1
                unique = f"{id_}-{n}"
            seen.add(unique)
            token.attrSet("id", unique)
            groups.append((unique, title, int(token.tag[1]), []))
        groups[-1][3].append(token)
    heading = 3  # a part's own heading is its first three tokens: open, words, close
    return [
        Part(
            id=id_,
            title=title,
            level=level,
            html=_html(md, group),
            text=_words(group[heading:] if id_ else group),
        )
        for id_, title, level, group in groups
        if group or id_
    ]
