"""Learning log entries are written in Markdown: rendered here, sanitised, and counted.

Two guards, so that neither alone has to be perfect: markdown-it-py never passes raw HTML through
(it is shown as text) and refuses links other than http(s), mailto and the app's own paths; nh3
(the Ammonia sanitiser) then keeps only the tags and attributes Markdown itself makes. Images are
shown only from the app's own access-checked attachment URLs, never from elsewhere (an outside
image would tell its server who read the entry, and when).
"""

import re
from functools import cache

import nh3
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

MAX_LENGTH = 100_000  # characters of Markdown in one entry: about 15,000 words
HEADING_SHIFT = 1  # "# A heading" in an entry sits under the page's own title
LINK_SCHEMES = {"http", "https", "mailto"}
TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "blockquote",
    "ul", "ol", "li", "code", "pre", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
WORD = re.compile(r"\w+(?:[’'\-.,]\w+)*")


@cache
def _attachment_url() -> re.Pattern:
    """The app's own attachment URLs, the only images an entry may show."""
    sample = reverse("attachment_file", args=[1234567])
    return re.compile("^" + re.escape(sample).replace("1234567", r"\d+") + "$")


def is_attachment_url(url: str) -> bool:
    return bool(_attachment_url().match(url))


def _safe_link(url: str) -> bool:
    """Only http(s), mailto, and paths on this site; never javascript:, data:, file: …"""
    url = url.strip()
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    if scheme:
        return scheme.group(1).lower() in LINK_SCHEMES
    # No scheme: a path or an anchor. "//host" would be another site with the page's scheme.
    return not url.startswith(("//", "\\")) and not re.search(r"[\x00-\x1f]", url)


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    if not is_attachment_url(src):
        # An image from elsewhere is shown as its description, never fetched.
        return f"<em>[image: {escape(alt or 'no description')}]</em>"
    return f'<img src="{escape(src)}" alt="{escape(alt)}">'


class _SafeLinks(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return _safe_link(url)


@cache
def _parser() -> MarkdownIt:
    md = _SafeLinks("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("image", _image)
    return md


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_attachment_url(value):
        return None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """``text`` (Markdown) as sanitised HTML, safe to put in a page as it is."""
    md = _parser()
    env: dict = {}
    tokens = md.parse(text or "", env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
            token.tag = f"h{level}"
    html = md.renderer.render(tokens, md.options, env)
    return mark_safe(_cleaner().clean(html))  # nh3 has just sanitised it


def plain_text(text: str) -> str:
    """The words of ``text`` without its Markdown: no markup, link targets or image names."""
    parts: list[str] = []
    for token in _parser().parse(text or ""):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
            parts.append("\n")
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
    return "".join(parts)


def count_words(text: str) -> int:
    """Words of a Markdown text as a reader counts them: "don't" and "well-being" are one each,
    and neither the ``#``, ``*`` and ``>`` of the markup nor a link's address counts."""
    return len(WORD.findall(plain_text(text)))
