"""The coach engine on its own (no Django): each label, the rewrites, and bad input."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revans.coach import LABELS, MAX_LENGTH, classify, classify_many


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("What would success look like for you?", "open"),
        ("How do you feel about the restructure?", "open"),
        ("Tell me more about the two teams.", "open"),
        ("Why does that matter so much to you?", "open"),
        ("So, what would that look like for you?", "open"),
        ("Is it hard?", "closed"),
        ("Do you want to stay or leave?", "closed"),
        ("Did you speak to her last week?", "closed"),
        ("When is the deadline?", "closed"),
        ("Have they agreed to the rota?", "closed"),
        ("Don't you think you should tell her?", "leading"),
        ("That must be hard, isn't it?", "leading"),
        ("Surely the director knows?", "leading"),
        ("Wouldn't you agree that the plan is flawed?", "leading"),
        ("Have you tried delegating it?", "advice"),
        ("Why don't you just ask your manager?", "advice"),
        ("Why not run a pilot first?", "advice"),
        ("What about asking HR for help?", "advice"),
        ("Could you delegate it to Sam?", "advice"),
        ("Have you thought about a joint induction?", "advice"),
        ("I think you should go.", "statement"),
        ("That sounds really difficult", "statement"),
    ],
)
def test_each_label_with_clear_cases(text, label):
    assert classify(text).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # Speech: fillers and stutters do not hide the question.
        ("Um, so, what-what would that look like for you?", "open"),
        ("Okay. And, uh, do you- do you have a plan?", "closed"),
        # Text split into tokens ("do n't", "it 's", "now ?") reads as written.
        ("Why do n't you confront her about it ?", "advice"),
        ("What 's going on for you there ?", "open"),
        # A yes/no form that invites a wide answer is an invitation, not a yes/no question.
        ("Can you tell me a little more about that?", "open"),
        ("Could you walk us through the last board meeting?", "open"),
        ("Could you talk to her directly?", "advice"),
        # "What about…" asks about a topic or proposes something.
        ("What about a weekly huddle?", "advice"),
        ("How about asking the board for a decision?", "advice"),
        # "Have you thought about…" is advice only when it proposes something.
        ("Have you thought about what you want from this?", "closed"),
        ("Have you thought about a secondment?", "advice"),
        ("Why don't you start by telling us about the team?", "open"),
        # A suggestion, then a question asking only for a reaction to it.
        ("You could swap a meal for childcare. What do you think of that?", "advice"),
        ("What do you think of that?", "open"),
        ("Would it help to bring them together?", "advice"),
        ("Is there any way you could get a secondment?", "advice"),
        ("Might it be worth speaking to the union?", "advice"),
    ],
)
def test_what_grammar_knows(text, label):
    assert classify(text).label == label


def test_a_suggestion_before_a_reaction_check_is_named_in_the_hint():
    verdict = classify("You could swap a meal for childcare. What do you think of that?")
    assert verdict.label == "advice"
    assert verdict.hint.startswith("You offered a suggestion")
    assert classify(verdict.suggestion).label == "open"


def test_what_about_a_topic_is_not_advice():
    assert classify("And what about your grades?").label != "advice"
    assert classify("What about it seems overwhelming?").label != "advice"


def test_the_grammar_alone_labels_without_the_shipped_model(monkeypatch):
    from revans.coach import engine

    monkeypatch.setattr(engine, "_model", lambda: {})
    assert classify("What would success look like?").label == "open"
    assert classify("Is the deadline fixed?").label == "closed"
    assert classify("Have you tried a rota?").label == "advice"
    assert classify("Don't you think she knows?").label == "leading"


def test_the_last_question_in_a_turn_is_the_one_labelled():
    verdict = classify(
        "I hear how tired you are. Have you tried asking for help? What matters most now?"
    )
    assert verdict.label == "open"
    assert verdict.question == "What matters most now?"


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        (
            "Have you tried delegating it?",
            "What have you tried so far, and what other options do you see?",
        ),
        ("Why don't you just ask your manager?", "What would change if you ask your manager?"),
        ("What about asking HR?", "What do you make of asking HR?"),
        (
            "Don't you think you should tell her?",
            "What do you think about whether you should tell her?",
        ),
        ("Do you want to stay or leave?", "What draws you to each of those?"),
    ],
)
def test_rewrites_are_open_and_in_the_askers_words(text, suggestion):
    verdict = classify(text)
    assert verdict.suggestion == suggestion
    assert classify(verdict.suggestion).label == "open"


def test_open_questions_get_no_rewrite_and_a_high_open_score():
    verdict = classify("What would you like to be different by the next meeting?")
    assert verdict.suggestion == ""
    assert verdict.open_score > 0.5
    assert classify("Is it hard?").open_score < 0.5


@pytest.mark.parametrize(
    "text", ["", "   ", "\n\t", "🙂🙂🙂", "<b>What?</b>", "¿Qué piensas?", "?", "...", "a" * 999]
)
def test_odd_input_gets_a_verdict(text):
    verdict = classify(text)
    assert verdict.label in LABELS
    assert 0.0 <= verdict.open_score <= 1.0
    assert verdict.hint


def test_over_long_text_is_refused_with_a_clear_hint():
    verdict = classify("x" * (MAX_LENGTH + 1))
    assert verdict.label == "statement"
    assert "under 1000 characters" in verdict.hint


def test_classify_many_keeps_the_order():
    labels = [v.label for v in classify_many(["Is it hard?", "What matters?", "Go home."])]
    assert labels == ["closed", "open", "statement"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=1200))
def test_any_text_gets_a_verdict_and_never_an_exception(text):
    verdict = classify(text)
    assert verdict.label in LABELS
    assert 0.0 <= verdict.open_score <= 1.0
    assert 0.0 <= verdict.confidence <= 1.0


def test_the_command_line_prints_the_verdict_and_a_rewrite(capsys, tmp_path):
    from revans.coach.__main__ import main

    assert main(["Have", "you", "tried", "delegating", "it?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("advice")
    assert "Try: What have you tried so far" in out
    questions = tmp_path / "questions.txt"
    questions.write_text("Is it hard?\n\nWhat matters most?\n", encoding="utf-8")
    assert main(["--file", str(questions)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")]
    assert [line.split()[0] for line in lines] == ["closed", "open"]
