"""The coach hears the whole turn: advice or a diagnosis said before the question decides the
label, whatever the question; a reflection or empathy before it does not; an open question gets
a word of encouragement."""

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from revans.coach import classify
from revans.coach.engine import HINTS

ADVICE_BEFORE = "You offered a suggestion before your question"
VIEW_BEFORE = "You gave your own view of the problem"


@pytest.mark.parametrize(
    "text",
    [
        "You should take it to your manager. What do you think?",
        "I'd just tell them no. How would the team take it?",
        "In my experience you need to escalate it. Who would you go to?",
        "Talk to the finance lead before the board meets. When do they meet?",
        "It might be worth getting the union involved. Who else knows?",
        "If I were you I'd book a one-to-one with her. When could you fit that in?",
        "My advice would be to wait. How do you feel about waiting?",
        "That sounds hard, but I think you should go to HR. What do you think?",
        "I'd just tell them no, but how would the team take it?",
        # Whatever the form of the question: yes/no, leading, open.
        "You need a proper project plan. Do you have one?",
        "Just say no. Don't you think that would be easier?",
    ],
)
def test_a_suggestion_before_the_question_makes_the_turn_advice(text):
    verdict = classify(text)
    assert verdict.label == "advice"
    assert verdict.hint.startswith("You offered a suggestion")


def test_the_hint_says_the_presenter_will_answer_the_suggestion_and_offers_the_bare_question():
    verdict = classify("I'd just tell them no. How would the team take it?")
    assert verdict.hint == HINTS["advice_before"]
    assert verdict.hint.startswith(ADVICE_BEFORE)
    assert "Ask only the question" in verdict.hint
    assert verdict.suggestion == "How would the team take it?"
    assert verdict.question == "How would the team take it?"
    # The same clause inside the question's own sentence.
    verdict = classify("I'd just tell them no, but how would the team take it?")
    assert verdict.suggestion == "How would the team take it?"


def test_a_suggestion_then_a_request_for_a_reaction_gets_an_open_question_to_ask_instead():
    verdict = classify("You should take it to your manager. What do you think?")
    assert verdict.label == "advice"
    assert verdict.hint == HINTS["advice_reaction"]
    assert classify(verdict.suggestion).label == "open"


@pytest.mark.parametrize(
    "text",
    [
        "The real problem is your manager. How do you get on with him?",
        "It sounds like you're burnt out. When did you last take a break?",
        "I think the issue is that you don't trust your team. How do you feel about that?",
        "You're being too nice to them. What would it take to be firmer?",
        "That's classic scope creep. When did the requirements last change?",
        "Clearly the director has made up her mind. What can you still influence?",
        "Your boss sounds like a bully. How often does this happen?",
    ],
)
def test_a_diagnosis_before_the_question_makes_the_turn_leading(text):
    verdict = classify(text)
    assert verdict.label == "leading"
    assert verdict.hint.startswith(VIEW_BEFORE)


def test_a_diagnosis_then_a_request_for_agreement_gets_how_do_you_see_it():
    verdict = classify("It sounds like you're burnt out. Is that fair?")
    assert verdict.label == "leading"
    assert verdict.hint == HINTS["leading_reaction"]
    assert classify(verdict.suggestion).label == "open"


@pytest.mark.parametrize(
    "text",
    [
        "That sounds hard. What would help?",
        "That sounds really difficult. How are you coping?",
        "I hear how tired you are. What matters most to you now?",
        "You said you felt invisible in that meeting. What was that like for you?",
        "It sounds like you've been carrying this on your own. Who else could share it?",
        "It sounds like you feel you should tell her. What's holding you back?",
        "So you feel you need to leave. What would leaving give you?",
        "You must be exhausted. What keeps you going?",
        "I'd imagine that was really hard. How did you cope?",
        "I'd love to hear more about that. What happened then?",
        "Take your time. What comes to mind?",
        "Look, I know this is hard. What would help?",
        "If you were to list the options, what would they be?",
        "Thank you, that was really clear. Tell me more about Sam.",
    ],
)
def test_a_reflection_or_empathy_before_an_open_question_stays_open(text):
    verdict = classify(text)
    assert verdict.label == "open"
    assert not verdict.hint.startswith((ADVICE_BEFORE, VIEW_BEFORE))


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("What would success look like for you?", "open_wh"),
        ("How do you want to use the rest of your airtime?", "open_wh"),
        ("Tell me more about the conversation with the director.", "open_invitation"),
        ("Could you walk us through the last board meeting?", "open_invitation"),
        ("Why does that matter so much to you?", "open"),
        ("That sounds hard. What would help?", "open_reflection"),
        ("You mentioned the board twice. What's going on for you there?", "open_reflection"),
    ],
)
def test_an_open_question_gets_a_word_of_encouragement_by_what_made_it_good(text, hint):
    verdict = classify(text)
    assert verdict.label == "open"
    assert verdict.hint == HINTS[hint]
    assert "\n" not in verdict.hint
    assert verdict.hint.startswith(("A good", "Well done"))


@pytest.mark.parametrize(
    "text",
    [
        "Is the funding confirmed?",
        "Did they agree to the new rota?",
        "That sounds hard. Is it getting worse?",
        "You mentioned a review. Is it this month?",
        "I hear you. Did the director reply to your email?",
    ],
)
def test_yes_no_questions_after_a_reflection_are_still_closed(text):
    assert classify(text).label == "closed"


def test_a_question_before_the_last_is_not_a_statement_before_it():
    # An earlier question in the turn is its own question (the last one is labelled).
    assert classify("What have you tried so far, and what other options do you see?").label == (
        "open"
    )
    assert classify("Have you tried asking for help? What matters most now?").label == "open"


def test_a_suggestion_with_no_question_is_a_statement_that_says_so():
    verdict = classify("You should just tell her.")
    assert verdict.label == "statement"
    assert verdict.hint == HINTS["statement_advice"]
    assert classify("That sounds really difficult").hint == HINTS["statement"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "You should tell her.",
                "That sounds hard.",
                "The real problem is your manager,",
                "I'd just",
                "What do you think?",
                "Is it?",
                ", but ",
                "?",
                ". ",
                "you're just",
            ]
        ),
        max_size=60,
    )
)
def test_any_mix_of_statements_and_questions_gets_a_verdict(parts):
    verdict = classify(" ".join(parts))
    assert verdict.hint
    assert 0.0 <= verdict.confidence <= 1.0
