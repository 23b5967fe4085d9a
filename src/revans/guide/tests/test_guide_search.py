"""Searching the guide: words found, headings first, snippets escaped, odd input survived."""

from revans.guide.search import MAX_RESULTS, highlight, search, snippet, terms


def test_finds_a_word_in_the_text():
    results = search("Ishikawa")
    assert results
    assert results[0].page.slug == "techniques"
    assert results[0].anchor == "fishbone"
    assert "<mark>Ishikawa</mark>" in results[0].snippet


def test_a_match_in_a_heading_ranks_above_matches_in_the_words():
    results = search("silence")
    assert (results[0].page.slug, results[0].anchor) == ("when-things-go-wrong", "silence")
    assert results[0].url == "/guide/when-things-go-wrong/#silence"
    # "silence" is in the words of other sections too, which come after.
    assert len(results) > 1
    assert all("silence" not in r.title.lower() for r in results[1:])


def test_the_closest_heading_comes_first():
    results = search("ground rules")
    assert (results[0].page.slug, results[0].anchor) == ("setting-up", "ground-rules")


def test_every_word_must_match_when_some_section_has_them_all():
    results = search("force field")
    assert results[0].anchor == "force-field-analysis"
    for r in results:
        text = " ".join(p.text for p in r.page.parts if p.id == r.anchor or r.anchor == "")
        assert "force" in (text + r.title).lower()


def test_a_word_matches_the_start_of_longer_words():
    assert any(r.anchor == "open-questions" for r in search("question"))


def test_a_page_title_counts_for_its_sections():
    results = search("online chat")
    assert (results[0].page.slug, results[0].anchor) == ("online-sets", "chat")


def test_html_in_a_query_is_escaped_in_the_snippet():
    assert "<script" not in "".join(r.snippet for r in search("<script>alert(1)</script>"))
    piece = highlight("a <b> & c", ("b",))
    assert piece == "a &lt;<mark>b</mark>&gt; &amp; c"


def test_a_snippet_is_short_and_marks_the_words():
    text = "word " * 200 + "needle in the middle " + "word " * 200
    piece = snippet(text, ("needle",))
    assert "<mark>needle</mark>" in piece
    assert len(piece) < 260
    assert piece.startswith("… ") and piece.endswith(" …")


def test_nothing_to_search_for_finds_nothing():
    assert search("") == ()
    assert search("   ") == ()
    assert search("!!! ??? ...") == ()
    assert search("\x00\x01") == ()


def test_no_match_finds_nothing():
    assert search("xylophone zeppelin") == ()


def test_common_words_are_dropped_unless_they_are_all_there_is():
    assert terms("what is the chat") == ("chat",)
    assert terms("what is") == ("what", "is")
    assert terms("a b c") == ()


def test_a_very_long_query_is_bounded():
    assert len(terms("word " * 10_000)) == 1
    assert len(terms(" ".join(f"w{k}" for k in range(1000)))) == 8
    assert len(search("the " + "set " * 5000)) <= MAX_RESULTS


def test_regular_expression_characters_are_plain_text():
    assert search("(.*)") == ()
    assert search("[a-z]+ silence")[0].anchor == "silence"


def test_results_are_kept_for_the_process():
    assert search("silence") is search("silence")
    assert search("Silence") is search("silence  ")


def test_a_section_found_by_its_heading_shows_its_beginning():
    first = search("silence")[0]
    assert first.snippet.startswith("What it may be")
    assert not first.snippet.startswith("…")
