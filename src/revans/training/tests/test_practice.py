"""Question practice: sample problems, the coach's feedback on each question, a running tally
kept in the session, and bad input refused with a clear message."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from revans.coach import classify
from revans.coach.scenarios import all_scenarios
from revans.training.practice import KEEP, SESSION_KEY

SCENARIO = all_scenarios()[0]
URL = reverse("practice_scenario", args=[SCENARIO.slug])
RESET = reverse("practice_reset", args=[SCENARIO.slug])
HTMX = {"HTTP_HX_REQUEST": "true"}
ADVICE = "Have you tried delegating it?"


@pytest.fixture
def nia(world):
    """nia is in no set: practice needs none."""
    return world.client(world.nia)


def ask(client, question, htmx=False):
    return client.post(URL, {"question": question}, **(HTMX if htmx else {}))


def session_tally(client) -> dict:
    return client.session.get(SESSION_KEY, {})


def test_the_practice_page_explains_good_questions_and_lists_every_scenario(world):
    for who in (world.nia, world.pam, world.mo, world.fran):
        response = world.client(who).get(reverse("practice"))
        assert response.status_code == 200
        html = response.content.decode()
        for kind in ("Open questions", "Closed questions", "Leading questions"):
            assert kind in html
        assert "Advice phrased as a question" in html
        for scenario in all_scenarios():
            assert reverse("practice_scenario", args=[scenario.slug]) in html
            assert scenario.title.replace("'", "&#x27;") in html


def test_a_scenario_page_shows_the_account_the_hopes_and_an_empty_form(nia):
    response = nia.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{SCENARIO.presenter} presents" in html
    assert SCENARIO.account[0].replace("'", "&#x27;")[:60] in html
    assert SCENARIO.hopes[0].replace("'", "&#x27;") in html
    assert '<label for="id_question">Your question</label>' in html
    assert 'maxlength="1000"' in html
    assert 'aria-live="polite"' in html
    assert "None yet." in html


def test_an_htmx_question_gets_the_feedback_alone_with_form_and_tally_out_of_band(nia):
    response = ask(nia, ADVICE, htmx=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and f"{SCENARIO.presenter} presents" not in html
    assert "Advice phrased as a question" in html
    assert escape(classify(ADVICE).hint) in html
    # The rewrite is the coach's own (its wording may change); the page shows it as given.
    suggestion = classify(ADVICE).suggestion
    assert suggestion and "An open way to ask it" in html and escape(suggestion) in html
    assert 'id="practice-form"' in html and 'id="practice-tally"' in html
    assert html.count('hx-swap-oob="true"') == 2
    assert "Advice phrased as a question: 1" in html
    assert session_tally(nia)[SCENARIO.slug] == [{"text": ADVICE, "label": "advice"}]


def test_a_plain_post_gets_the_whole_page_with_the_feedback(nia):
    question = "What matters most to you in this?"
    response = ask(nia, question)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{SCENARIO.presenter} presents" in html
    assert "Open question" in html
    assert escape(classify(question).hint) in html
    assert "An open way to ask it" not in html  # nothing to rewrite
    assert "Open question: 1" in html
    assert 'hx-swap-oob="true"' not in html


@pytest.mark.parametrize(
    ("question", "label", "words"),
    [
        ("Did you talk to her about it?", "closed", "Closed question"),
        ("Don't you think you should tell the board?", "leading", "Leading question"),
        ("I think you should just move on.", "statement", "Not a question yet"),
    ],
)
def test_each_label_is_said_in_plain_words(nia, question, label, words):
    html = ask(nia, question, htmx=True).content.decode()
    assert f">{words}</span>" in html
    assert session_tally(nia)[SCENARIO.slug][-1]["label"] == label


def test_a_suggestion_before_the_question_is_named_and_the_bare_question_offered(nia):
    turn = "I'd just tell them no. How would the team take it?"
    html = ask(nia, turn, htmx=True).content.decode()
    assert "Advice phrased as a question" in html
    assert escape(classify(turn).hint) in html
    assert "You offered a suggestion before your question" in html
    assert "An open way to ask it: <q>How would the team take it?</q>" in html
    assert session_tally(nia)[SCENARIO.slug] == [{"text": turn, "label": "advice"}]


def test_an_open_question_after_a_reflection_gets_a_word_of_encouragement(nia):
    turn = "That sounds hard. What would help?"
    html = ask(nia, turn, htmx=True).content.decode()
    assert ">Open question</span>" in html
    assert "Well done: you reflected what you heard" in html
    assert "An open way to ask it" not in html


def test_the_tally_counts_labels_and_lists_questions_newest_first(nia):
    ask(nia, ADVICE, htmx=True)
    ask(nia, "Did you talk to her?", htmx=True)
    html = ask(nia, "What would success look like for you?", htmx=True).content.decode()
    assert "Open question: 1" in html and "Closed question: 1" in html
    assert "Advice phrased as a question: 1" in html
    tally = html[html.index('id="practice-tally"') :]
    assert tally.index("What would success look like") < tally.index("Did you talk to her?")
    assert tally.index("Did you talk to her?") < tally.index("Have you tried delegating it?")
    assert "Start again" in tally


def test_the_tally_keeps_the_last_twenty_questions(nia):
    for n in range(KEEP + 5):
        ask(nia, f"What happened on day {n}?")
    kept = session_tally(nia)[SCENARIO.slug]
    assert len(kept) == KEEP
    assert kept[0]["text"] == "What happened on day 5?"
    assert kept[-1]["text"] == f"What happened on day {KEEP + 4}?"


def test_the_tally_is_per_scenario(nia):
    ask(nia, ADVICE)
    other = all_scenarios()[1]
    html = nia.get(reverse("practice_scenario", args=[other.slug])).content.decode()
    assert "None yet." in html and ADVICE not in html
    listing = nia.get(reverse("practice")).content.decode()
    assert listing.count("1 question tried") == 1


def test_the_tally_is_per_person(world, nia):
    ask(nia, ADVICE)
    html = world.client(world.mo).get(URL).content.decode()
    assert ADVICE not in html and "None yet." in html


def test_start_again_clears_this_scenario_only(nia):
    other = all_scenarios()[1]
    ask(nia, ADVICE)
    nia.post(reverse("practice_scenario", args=[other.slug]), {"question": "How is it going?"})
    response = nia.post(RESET)
    assert response.status_code == 302
    assert response["Location"] == URL
    tally = session_tally(nia)
    assert SCENARIO.slug not in tally and len(tally[other.slug]) == 1
    assert "None yet." in nia.get(URL).content.decode()


def test_start_again_over_htmx_answers_with_an_empty_tally_and_a_focused_box(nia):
    ask(nia, ADVICE, htmx=True)
    response = nia.post(RESET, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Started again" in html and "None yet." in html
    assert "autofocus" in html
    assert SCENARIO.slug not in session_tally(nia)


def test_start_again_needs_a_post(nia):
    ask(nia, ADVICE)
    assert nia.get(RESET).status_code == 405
    assert len(session_tally(nia)[SCENARIO.slug]) == 1


BAD = {
    "empty": ("", "Write a question first."),
    "whitespace": ("   \n\t  ", "Write a question first."),
    "too long": (
        "Why " * 300 + "?",
        "Keep your question to 1000 characters or fewer (it has 1201).",
    ),
    "null bytes": ("What \x00 now?", "characters that cannot be shown"),
    "control characters": ("What\x1b[2J now?", "characters that cannot be shown"),
    "html": ("What does <b>success</b> look like?", "without HTML tags"),
    "script": ("<script>alert(1)</script>", "without HTML tags"),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("kind", BAD)
def test_bad_input_gets_a_clear_message_in_the_form_and_nothing_is_kept(nia, kind, htmx):
    question, message = BAD[kind]
    response = ask(nia, question, htmx=htmx)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_question_error"' in html
    assert "<script>alert(1)</script>" not in html and "<b>success</b>" not in html
    assert "The coach's feedback" in html or htmx
    assert "Open question" not in html and "Advice phrased" not in html.split("<form")[0]
    assert SESSION_KEY not in nia.session


def test_bad_input_over_htmx_is_announced_in_the_live_region(nia):
    html = ask(nia, "", htmx=True).content.decode()
    feedback = html[: html.index('id="practice-form"')]
    assert '<p class="visually-hidden">Write a question first.</p>' in feedback


def test_a_missing_field_is_refused_like_an_empty_one(nia):
    response = nia.post(URL, {})
    assert response.status_code == 200
    assert "Write a question first." in response.content.decode()


def test_text_that_merely_mentions_angle_brackets_is_a_question(nia):
    html = ask(nia, "What if fewer than <5 people turn up?").content.decode()
    assert "without HTML tags" not in html
    assert "&lt;5 people" in html
    assert len(session_tally(nia)[SCENARIO.slug]) == 1


def test_what_is_typed_is_escaped_everywhere(nia):
    question = 'What would "good" & <i look like to you?'
    html = ask(nia, question).content.decode()
    assert "<i look" not in html
    assert "&lt;i look like to you?" in html and "&amp;" in html


def test_an_unknown_scenario_is_404(nia):
    assert nia.get(reverse("practice_scenario", args=["no-such-problem"])).status_code == 404
    assert (
        nia.post(
            reverse("practice_scenario", args=["no-such-problem"]), {"question": "Why?"}
        ).status_code
        == 404
    )
    assert nia.post(reverse("practice_reset", args=["no-such-problem"])).status_code == 404


@pytest.mark.parametrize("name", ["practice", "practice_scenario", "practice_reset"])
def test_anonymous_visitors_are_sent_to_sign_in(world, name):
    url = reverse(name, args=[] if name == "practice" else [SCENARIO.slug])
    client = world.client(None)
    response = client.post(url, {"question": ADVICE}) if name != "practice" else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert SESSION_KEY not in client.session


def test_the_nav_and_the_dashboard_link_to_practice(world):
    html = world.client(world.nia).get(reverse("dashboard")).content.decode()
    assert html.count(f'href="{reverse("practice")}"') == 2
    page = world.client(world.nia).get(URL).content.decode()
    assert f'href="{reverse("practice")}" aria-current="true"' in page
