"""The guide's pages in the browser's terms: open to everyone, 404 for a page that is not there,
and the search page's messages for bad input."""

import pytest
from django.test import Client
from django.urls import reverse

from revans.guide import pages


@pytest.fixture
def anonymous():
    return Client()


def test_the_index_lists_every_page_and_a_search_box(db, anonymous, django_assert_num_queries):
    # Pages come from files: the index asks nothing of the database, whoever reads it.
    with django_assert_num_queries(0):
        response = anonymous.get(reverse("guide_index"))
    assert response.status_code == 200
    for shown in pages.all_pages():
        assert shown.title.encode() in response.content or shown.title in response.text
        assert shown.get_absolute_url() in response.text
    assert 'role="search"' in response.text


@pytest.mark.parametrize("slug", pages.PAGES)
def test_every_page_opens_with_its_contents_and_neighbours(anonymous, slug):
    response = anonymous.get(reverse("guide_page", args=[slug]))
    assert response.status_code == 200
    shown = response.context["page"]
    assert "On this page" in response.text
    for section in shown.sections:
        assert f'href="#{section.id}"' in response.text
        assert f'id="{section.id}"' in response.text
    previous, following = pages.neighbours(slug)
    if previous:
        assert f'rel="prev" href="{previous.get_absolute_url()}"' in response.text
    if following:
        assert f'rel="next" href="{following.get_absolute_url()}"' in response.text


def test_an_unknown_page_is_404(anonymous):
    assert anonymous.get("/guide/no-such-page/").status_code == 404


def test_signed_in_people_read_it_too_and_see_it_in_the_navigation(world):
    response = world.client(world.mo).get(reverse("guide_page", args=["techniques"]))
    assert response.status_code == 200
    assert f'<a href="{reverse("guide_index")}" aria-current="true">Guide</a>' in response.text


def test_a_page_asks_the_database_only_who_is_signed_in(world, django_assert_max_num_queries):
    """The pages come from files read once: a page costs the session and the user, nothing
    more, however long the guide grows."""
    client = world.client(world.fran)
    client.get(reverse("guide_index"))
    with django_assert_max_num_queries(2):
        response = client.get(reverse("guide_page", args=["techniques"]))
    assert response.status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("guide_search"), {"q": "five whys"}).status_code == 200


def test_the_navigation_names_the_guide_for_people_not_signed_in(anonymous):
    response = anonymous.get(reverse("guide_index"))
    assert f'<a href="{reverse("guide_index")}" aria-current="page">Guide</a>' in response.text


def test_posting_to_the_guide_is_refused(anonymous):
    assert anonymous.post(reverse("guide_search"), {"q": "x"}).status_code == 405


def test_search_shows_results_with_marked_words(anonymous):
    response = anonymous.get(reverse("guide_search"), {"q": "fishbone"})
    assert response.status_code == 200
    assert "<mark>fishbone</mark>" in response.text.lower()
    assert 'href="/guide/techniques/#fishbone"' in response.text


def test_an_empty_search_asks_for_words(anonymous):
    response = anonymous.get(reverse("guide_search"), {"q": "  "})
    assert response.status_code == 200
    assert "Type a word or two" in response.text
    assert response.context["results"] == ()


def test_a_search_with_no_results_says_so_and_suggests_pages(anonymous):
    response = anonymous.get(reverse("guide_search"), {"q": "xylophone"})
    assert "Nothing in the guide matches “xylophone”" in response.text
    assert reverse("guide_page", args=["what-is-action-learning"]) in response.text


def test_a_very_long_search_is_cut_with_a_message(anonymous):
    response = anonymous.get(reverse("guide_search"), {"q": "silence " * 500})
    assert response.status_code == 200
    assert "Only the first 100 characters" in response.text
    assert response.context["query"] == ("silence " * 12).strip()  # whole words only
    assert response.context["results"]


def test_html_in_a_search_is_shown_as_text(anonymous):
    response = anonymous.get(reverse("guide_search"), {"q": '<script>alert("x")</script>'})
    assert response.status_code == 200
    assert '<script>alert("x")' not in response.text
    assert "&lt;script&gt;" in response.text


def test_control_characters_in_a_search_are_survived(anonymous):
    response = anonymous.get(reverse("guide_search"), {"q": "\x00\x1b[31m silence"})
    assert response.status_code == 200
    assert response.context["results"][0].anchor == "silence"


@pytest.mark.parametrize(
    "typed",
    [
        "\x00\x00",
        "x" * 100_000,
        "<script>alert(1)</script>",
        "\u202e\U0001f600\ufffd",
        "1; DROP TABLE sets_set; --",
        "99999999999999999999999",
        "(((((((((( ]]]] \\\\ .* +? {2,}",
    ],
)
def test_garbage_in_a_search_is_answered_never_a_500(anonymous, typed):
    response = anonymous.get(reverse("guide_search"), {"q": typed})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert len(response.context["query"]) <= 100
