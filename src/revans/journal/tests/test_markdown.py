"""Entries are Markdown: rendered, sanitised so no script ever runs, and counted in words."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.safestring import SafeString

from revans.journal.markdown import TAGS as ALLOWED_TAGS
from revans.journal.markdown import count_words, is_attachment_url, plain_text, render_markdown

ATTACHMENT = reverse("attachment_file", args=[42])


def test_markdown_is_rendered_with_headings_under_the_page_title():
    html = render_markdown("# What happened\n\nWe **met** and *talked*.\n\n- one\n- two")
    assert isinstance(html, SafeString)
    assert "<h2>What happened</h2>" in html
    assert "<strong>met</strong>" in html
    assert "<em>talked</em>" in html
    assert "<li>one</li>" in html


def test_tables_quotes_and_code_are_kept():
    html = render_markdown("> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`code`")
    assert "<blockquote>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<code>code</code>" in html


def test_ordinary_links_are_kept_and_told_not_to_pass_on_the_page():
    html = render_markdown("[ILM](https://www.i-l-m.com/) and [me](mailto:mo@example.org)")
    assert 'href="https://www.i-l-m.com/"' in html
    assert 'href="mailto:mo@example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


ATTACKS = {
    "raw script": "<script>alert(1)</script>",
    "script in a paragraph": "Hello <script>alert(1)</script> there",
    "img onerror": '<img src=x onerror="alert(1)">',
    "svg onload": "<svg onload=alert(1)>",
    "javascript link": "[x](javascript:alert(1))",
    "javascript link with spaces and case": "[x]( JaVaScRiPt:alert(1) )",
    "javascript link entity-encoded": "[x](&#106;avascript:alert(1))",
    "javascript link tab-split": "[x](java\tscript:alert(1))",
    "javascript autolink": "<javascript:alert(1)>",
    "vbscript link": "[x](vbscript:msgbox(1))",
    "data html link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data image": "![x](data:image/png;base64,iVBORw0KGgo=)",
    "data image in a reference": "![x][p]\n\n[p]: data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
    "outside image": "![tracker](https://evil.example/pixel.gif)",
    "html comment": "<!-- <script>alert(1)</script> -->",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style": "<style>body{display:none}</style>",
    "event attribute in link title": '[x](https://example.org "a" onmouseover="alert(1)")',
    "nested tricks": "<scr<script>ipt>alert(1)</script>",
    "html block": '<div onclick="alert(1)">\n\n*x*\n\n</div>',
    "form": '<form action="https://evil.example"><input name=p></form>',
    "link with quote break-out": '[x](https://example.org/"onmouseover="alert(1))',
    "protocol-relative image": "![x](//evil.example/a.png)",
}


class Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML (not its text)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.comments: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.comments.append(data)


@pytest.mark.parametrize("text", ATTACKS.values(), ids=ATTACKS.keys())
def test_nothing_in_an_entry_can_run_a_script_or_load_from_elsewhere(text):
    parsed = Elements(str(render_markdown(text)))
    assert not parsed.comments
    for tag, attributes in parsed.elements:
        assert tag in ALLOWED_TAGS, tag
        assert not any(name.startswith("on") for name in attributes), attributes
        assert "style" not in attributes
        href = (attributes.get("href") or "").strip().lower()
        assert not href or href.startswith(("https://", "http://", "mailto:", "/")), href
        assert not href.startswith("//")
        if tag == "img":
            assert is_attachment_url(attributes["src"]), attributes


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("I wrote <b>bold</b> by hand")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_images_are_shown_only_from_the_apps_own_attachment_urls():
    own = render_markdown(f"![my sketch]({ATTACHMENT})")
    assert f'<img src="{ATTACHMENT}" alt="my sketch">' in own
    outside = render_markdown("![a chart](https://example.org/chart.png)")
    assert "<img" not in outside
    assert "[image: a chart]" in outside
    assert is_attachment_url(ATTACHMENT)
    assert not is_attachment_url(ATTACHMENT + "x")
    assert not is_attachment_url("https://example.org" + ATTACHMENT)


def test_empty_and_odd_text_renders_without_error():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
    render_markdown("\x00\x00 \u202e\U0001f600\ufffd")
    render_markdown("*" * 5000 + "[" * 5000)


def test_word_count_ignores_the_markdown_syntax():
    text = (
        "# My heading\n\n"
        "Some **bold** and _italic_ text.\n\n"
        "- a list item\n"
        "> a quoted line\n\n"
        "[a link](https://example.org/a/long/path/that-is-not-words) and ![a picture](/x.png)\n\n"
        "---\n"
    )
    # My heading · Some bold and italic text · a list item · a quoted line · a link and
    assert count_words(text) == 2 + 5 + 3 + 3 + 3


def test_word_count_counts_contractions_hyphenated_words_and_numbers_once():
    assert count_words("Don't over-think it: it’s 1,500 words.") == 6


def test_plain_text_keeps_code_but_not_link_addresses():
    assert "example.org" not in plain_text("[site](https://example.org)")
    assert "print" in plain_text("```\nprint(1)\n```")
    assert count_words("") == 0
    assert count_words("   \n\n  ") == 0


def test_the_sanitiser_alone_would_still_stop_what_markdown_let_through():
    from revans.journal.markdown import _cleaner

    html = _cleaner().clean(
        '<p onclick="x"><a href="javascript:alert(1)">a</a><img src="https://evil.example/p.gif">'
        '<script>alert(1)</script><!-- hidden --><a href="data:text/html,x">b</a></p>'
    )
    assert (
        html
        == '<p><a rel="noopener noreferrer nofollow">a</a><img><a rel="noopener noreferrer nofollow">b</a></p>'
    )
