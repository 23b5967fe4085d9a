"""Prompt sets and log templates shipped as data, and the prompt sets of a person's programmes."""

import json

import pytest

from revans.journal import prompts
from revans.journal.models import ProgrammePromptSet
from revans.programmes.models import Programme

SHIPPED = {
    "ilm-facilitator-log",
    "after-a-meeting",
    "personal-reflection",
    "gibbs",
    "reflective-account",
    "after-a-meeting-facilitator",
    "personal-reflection-facilitator",
    "facilitator-qualification",
}


def test_the_shipped_prompt_sets_are_all_there():
    assert set(prompts.shipped_prompt_sets()) == SHIPPED


def test_facilitators_have_their_own_questions_and_the_qualifications_topics():
    sets = prompts.shipped_prompt_sets()
    after = sets["after-a-meeting-facilitator"]
    assert len(after.prompts) == len(sets["after-a-meeting"].prompts)
    assert len(sets["personal-reflection-facilitator"].prompts) >= 4
    topics = [p.text for p in sets["facilitator-qualification"].prompts]
    assert topics == [
        "Preparing participants and their expectations",
        "Practical set-up",
        "My own weaknesses as a facilitator",
        "Teaching others to question",
        "Members' empowerment and responsibility",
        "Action learning in wider programmes",
        "Closing summary",
    ]
    assert all(p.guidance for p in sets["facilitator-qualification"].prompts)


def test_the_ilm_log_has_its_seven_sections_each_with_guidance():
    ilm = prompts.shipped_prompt_sets()["ilm-facilitator-log"]
    assert [p.text for p in ilm.prompts] == [
        "Purpose of the log",
        "Examples of facilitating and how you adapted the approach",
        "Results",
        "What worked and the challenges",
        "Impact on you and your confidence",
        "Questions and questioning",
        "Looking ahead",
    ]
    assert all(2 <= len(p.guidance) <= 3 for p in ilm.prompts)


def test_learning_log_questions_gibbs_and_the_reflective_account():
    sets = prompts.shipped_prompt_sets()
    assert [p.text for p in sets["after-a-meeting"].prompts] == [
        "What did I bring?",
        "What did I learn?",
        "What will I do?",
        "What did I notice about my questions?",
    ]
    assert [p.text for p in sets["gibbs"].prompts] == [
        "Description",
        "Feelings",
        "Evaluation",
        "Analysis",
        "Conclusion",
        "Action plan",
    ]
    assert [p.text for p in sets["reflective-account"].prompts] == [
        "What happened?",
        "What did I learn?",
        "How has my practice changed?",
        "How does it relate to my professional standards?",
    ]
    assert len(sets["personal-reflection"].prompts) >= 4


def test_log_templates_match_their_prompt_sets_and_targets():
    templates = prompts.log_templates()
    assert list(templates) == ["ilm-facilitator-log", "set-journal"]
    ilm = templates["ilm-facilitator-log"]
    assert ilm.sections == tuple(
        p.text for p in prompts.shipped_prompt_sets()["ilm-facilitator-log"].prompts
    )
    assert (ilm.words_min, ilm.words_max, ilm.period_months) == (1500, 7000, 9)
    assert templates["set-journal"].sections == ()
    assert templates["set-journal"].prompt_set == "after-a-meeting"


def test_prompts_become_markdown_headings():
    gibbs = prompts.shipped_prompt_sets()["gibbs"]
    assert gibbs.as_markdown().startswith("## Description\n\n\n## Feelings\n")


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            {"prompt_sets": [{"slug": "x", "name": "X", "prompts": []}], "log_templates": []},
            "no prompts",
        ),
        (
            {"prompt_sets": [{"slug": "x", "prompts": [{"text": "Q"}]}], "log_templates": []},
            "'name'",
        ),
        (
            {
                "prompt_sets": [],
                "log_templates": [{"slug": "t", "name": "T", "prompt_set": "missing"}],
            },
            "names no shipped prompt set",
        ),
        (
            {
                "prompt_sets": [],
                "log_templates": [{"slug": "t", "name": "T", "words_min": 9, "words_max": 1}],
            },
            "words_min above words_max",
        ),
    ],
)
def test_a_broken_data_file_is_refused_with_a_clear_message(tmp_path, monkeypatch, broken, message):
    path = tmp_path / "prompts.json"
    path.write_text(json.dumps(broken))
    monkeypatch.setattr(prompts, "DATA", path)
    prompts._load.cache_clear()
    try:
        with pytest.raises(ValueError, match=message):
            prompts._load()
    finally:
        prompts._load.cache_clear()


def test_members_get_their_programmes_prompt_sets_as_well(world):
    ProgrammePromptSet.objects.create(
        programme=world.programme, name="Leading Change reflections", prompts="One\n\n Two \n"
    )
    other = Programme.objects.create(
        name="Elsewhere", sponsor=world.trust, starts_on="2026-01-01", ends_on="2026-12-31"
    )
    ProgrammePromptSet.objects.create(programme=other, name="Not for Aurora", prompts="Three")

    names = [p.name for p in prompts.prompt_sets_for(world.mo)]
    assert names[: len(SHIPPED)] == [p.name for p in prompts.shipped_prompt_sets().values()]
    assert "Leading Change reflections" in names
    assert "Not for Aurora" not in names
    own = next(p for p in prompts.prompt_sets_for(world.mo) if p.programme)
    assert own.slug.startswith("programme-")
    assert [p.text for p in own.prompts] == ["One", "Two"]
    # The programme's manager sees it; someone in no set of the programme does not.
    assert "Leading Change reflections" in [p.name for p in prompts.prompt_sets_for(world.pam)]
    assert "Leading Change reflections" not in [p.name for p in prompts.prompt_sets_for(world.nia)]
