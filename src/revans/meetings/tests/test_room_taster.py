"""A taster first meeting in the live room: introductions, how action learning works, a practice
round with the coach, ground rules the group develops itself, and the next dates."""

import json

import pytest
from django.urls import reverse

from revans.guide.pages import page
from revans.meetings.models import (
    PracticeQuestion,
    Question,
    Room,
    RoomEvent,
    RuleProposal,
)
from revans.meetings.room import guidance, machine
from revans.meetings.room.services import Refused, apply, open_room
from revans.meetings.room.state import snapshot
from revans.meetings.testing import make_meeting
from revans.sets.models import GroundRules, GroundRulesAgreement, Membership, Role

TASTER = [
    "check_in",
    "how_it_works",
    "practice",
    "ground_rules",
    "dates",
    "process_review",
    "summary",
]


@pytest.fixture
def taster(world):
    meeting = make_meeting(world.aurora, 1, shape="taster")
    open_room(meeting)
    return meeting


def go(meeting, who, name, **args):
    return apply(meeting.pk, who, name, args)


def to(meeting, world, phase):
    go(meeting, world.fran, "go_to", stage=phase)


def test_a_taster_runs_its_own_phases_in_order(world, taster):
    state = snapshot(Room.objects.get(meeting=taster))
    assert [s["key"] for s in state["stages"]] == TASTER
    for expected in TASTER[1:]:
        go(taster, world.fran, "advance")
        assert Room.objects.get(meeting=taster).stage == expected
    go(taster, world.fran, "back")
    assert Room.objects.get(meeting=taster).stage == "process_review"


def test_the_machine_follows_a_formats_phases_and_always_ends_with_a_summary():
    assert [s.key for s in machine.stages([1], [2], ["check_in", "practice"])] == [
        "check_in",
        "practice",
        "summary",
    ]
    standard = machine.stages([1], [2])
    assert [s.key for s in standard][:3] == ["check_in", "report_back:1", "bidding"]
    assert standard[-1].key == "summary" and len(standard) == 1 + 1 + 1 + 4 + 2


def test_the_set_develops_its_ground_rules_and_each_member_agrees(world, taster):
    to(taster, world, "ground_rules")
    go(taster, world.mo, "propose_rule", text="What is said here stays here.")
    go(taster, world.fran, "propose_rule", text="Phones away")
    go(taster, world.mo, "propose_rule", text="No interrupting")
    first, phones, interrupting = RuleProposal.objects.order_by("pk")
    assert first.author == world.mo and first.status == "proposed"
    go(taster, world.fran, "decide_rule", proposal=first.pk, status="kept")
    go(taster, world.fran, "decide_rule", proposal=phones.pk, status="dropped")
    go(taster, world.fran, "decide_rule", proposal=interrupting.pk, status="kept")
    go(taster, world.fran, "adopt_rules")
    rules = GroundRules.objects.filter(set=world.aurora).order_by("-version").first()
    assert rules.version == 2 and rules.rules == [
        "What is said here stays here.",
        "No interrupting",
    ]
    assert rules.drafted_by == world.fran
    go(taster, world.mo, "agree_rules", version=2)
    assert GroundRulesAgreement.objects.filter(ground_rules=rules, user=world.mo).exists()
    state = snapshot(Room.objects.get(meeting=taster), ["ground_rules", "proposals"])
    assert state["ground_rules"]["agreed"] == [world.mo.pk]
    assert [p["status"] for p in state["proposals"]] == ["kept", "dropped", "kept"]
    # Adopting the same kept rules again is refused: nothing to agree anew.
    with pytest.raises(Refused, match="already"):
        go(taster, world.fran, "adopt_rules")


def test_a_proposal_event_carries_the_new_proposal_alone(world, taster):
    to(taster, world, "ground_rules")
    event = go(taster, world.mo, "propose_rule", text="Be on time").event
    assert event["state"] == {} or set(event["state"]) <= {"attendance"}
    assert [p["text"] for p in event["append"]["proposals"]] == ["Be on time"]
    assert event["append"]["proposals"][0]["author"] == world.mo.display_name


@pytest.mark.parametrize(
    ("who", "name", "args", "message"),
    [
        ("mo", "propose_rule", {"text": ""}, "Write something"),
        ("mo", "propose_rule", {"text": "x" * 301}, "under 300"),
        ("mo", "propose_rule", {"text": "be KIND"}, "already proposed"),
        ("mo", "decide_rule", {"proposal": 1, "status": "kept"}, "Only the person in the chair"),
        ("fran", "decide_rule", {"proposal": 10**6, "status": "kept"}, "not in this meeting"),
        ("fran", "decide_rule", {"proposal": "first", "status": "kept"}, "must be a number"),
        ("fran", "decide_rule", {"status": "forever"}, "Keep the rule"),
        ("fran", "adopt_rules", {}, "Keep at least one"),
        ("mo", "adopt_rules", {}, "Only the person in the chair"),
        ("obi", "propose_rule", {"text": "Observers rule"}, "Observers"),
    ],
)
def test_bad_rule_commands_are_refused_and_change_nothing(world, taster, who, name, args, message):
    to(taster, world, "ground_rules")
    go(taster, world.mo, "propose_rule", text="Be kind")
    before = (RoomEvent.objects.count(), list(RuleProposal.objects.values_list("status", "text")))
    versions = GroundRules.objects.count()
    if "proposal" in args and args["proposal"] == 1:
        args = {**args, "proposal": RuleProposal.objects.get().pk}
    with pytest.raises(Refused, match=message):
        go(taster, getattr(world, who), name, **args)
    assert (
        RoomEvent.objects.count(),
        list(RuleProposal.objects.values_list("status", "text")),
    ) == before
    assert GroundRules.objects.count() == versions


def test_rules_are_proposed_only_in_the_ground_rules_phase(world, taster):
    with pytest.raises(Refused, match="another part of the meeting"):
        go(taster, world.mo, "propose_rule", text="Too early")
    assert not RuleProposal.objects.exists()


def test_a_proposal_list_has_a_limit(world, taster):
    to(taster, world, "ground_rules")
    for n in range(40):
        RuleProposal.objects.create(meeting=taster, author=world.mo, text=f"Rule {n}")
    with pytest.raises(Refused, match="40 proposals"):
        go(taster, world.mo, "propose_rule", text="One too many")


def test_the_practice_round_asks_about_a_sample_problem_with_the_coach(world, taster):
    to(taster, world, "practice")
    with pytest.raises(Refused, match="chooses a sample problem first"):
        go(taster, world.mo, "practice_question", text="What matters most to you?")
    with pytest.raises(Refused, match="Only the person in the chair"):
        go(taster, world.mo, "choose_scenario", scenario="shared-ward")
    with pytest.raises(Refused, match="one of the sample problems"):
        go(taster, world.fran, "choose_scenario", scenario="no-such-problem")
    slug = snapshot(Room.objects.get(meeting=taster), ["practice"])["practice"]["choices"][0][
        "slug"
    ]
    go(taster, world.fran, "choose_scenario", scenario=slug)
    applied = go(taster, world.mo, "practice_question", text="Have you tried talking to HR?")
    assert applied.verdict.label == "advice"
    asked = PracticeQuestion.objects.get()
    assert (asked.asker, asked.scenario, asked.label) == (world.mo, slug, "advice")
    # The set sees each question with its label, never with the asker's name.
    shown = applied.event["append"]["practice_questions"][0]
    assert shown == {"id": asked.pk, "scenario": slug, "text": asked.text, "label": "advice"}
    # Practice never counts as the set's real questions.
    assert not Question.objects.exists()
    state = snapshot(Room.objects.get(meeting=taster), ["practice", "question_mix"])
    assert state["practice"]["scenario"]["slug"] == slug and state["question_mix"] == {}


def test_the_room_page_of_a_taster_links_every_phase_to_the_guide(world, taster):
    response = world.client(world.mo).get(reverse("meeting_room", args=[taster.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-room-phases="how_it_works"' in content
    assert "Real problems, owned by the person who brings them" in content
    assert "How each meeting runs" in content and "/guide/running-meetings/#report-back" in content
    assert "data-starters=" in content
    links = response.context["guide_links"]
    shown = json.loads(links)
    for phase in TASTER:
        slug, _, anchor = shown[phase]["url"].removeprefix("/guide/").partition("/#")
        guide = page(slug.strip("/"))
        assert guide is not None, phase
        assert not anchor or anchor in guide.anchors, (phase, anchor)


def test_every_phase_of_every_format_has_a_guide_link_to_a_real_section(world):
    for taster_room in (False, True):
        links = json.loads(guidance.phase_links(taster_room))
        for phase in [*machine.PHASES, *TASTER, "techniques"]:
            url = links[phase]["url"]
            path, _, anchor = url.partition("#")
            slug = path.removeprefix("/guide/").strip("/")
            guide = page(slug)
            assert guide is not None and (not anchor or anchor in guide.anchors), (phase, url)
    assert guidance.how_it_works()


def test_an_ordinary_meeting_has_no_taster_parts(world):
    meeting = make_meeting(world.aurora, 2, days=7)
    content = world.client(world.mo).get(reverse("meeting_room", args=[meeting.pk])).content
    assert b"data-starters" not in content and b'data-room-phases="how_it_works"' not in content
    assert b"data-guide=" in content


def test_a_self_facilitated_member_in_the_chair_runs_the_ground_rules(world, taster):
    world.aurora.self_facilitated = True
    world.aurora.save()
    Membership.objects.filter(set=world.aurora, user=world.fran).update(role=Role.MEMBER)
    go(taster, world.mo, "take_chair")
    to_args = {"stage": "ground_rules"}
    go(taster, world.mo, "go_to", **to_args)
    go(taster, world.mo, "propose_rule", text="Confidentiality")
    go(taster, world.mo, "decide_rule", proposal=RuleProposal.objects.get().pk, status="kept")
    go(taster, world.mo, "adopt_rules")
    assert GroundRules.objects.filter(set=world.aurora).order_by("-version")[0].rules == [
        "Confidentiality"
    ]


def test_the_kept_rules_are_in_the_tasters_summary(world, taster):
    to(taster, world, "ground_rules")
    go(taster, world.mo, "propose_rule", text="Stays in the set")
    go(taster, world.mo, "propose_rule", text="Dropped one")
    kept, dropped = RuleProposal.objects.order_by("pk")
    go(taster, world.fran, "decide_rule", proposal=kept.pk, status="kept")
    go(taster, world.fran, "decide_rule", proposal=dropped.pk, status="dropped")
    go(taster, world.fran, "go_to", stage="summary")
    go(taster, world.fran, "close")
    taster.refresh_from_db()
    assert taster.summary["ground_rules"] == ["Stays in the set"]
    page = world.client(world.mo).get(taster.get_absolute_url()).content.decode()
    assert "The ground rules the set kept" in page and "Dropped one" not in page


def test_the_practice_round_has_a_limit(world, taster):
    to(taster, world, "practice")
    slug = snapshot(Room.objects.get(meeting=taster), ["practice"])["practice"]["choices"][0][
        "slug"
    ]
    go(taster, world.fran, "choose_scenario", scenario=slug)
    PracticeQuestion.objects.bulk_create(
        PracticeQuestion(meeting=taster, asker=world.mo, scenario=slug, text="Why?", label="open")
        for _ in range(300)
    )
    with pytest.raises(Refused, match="plenty of practice"):
        go(taster, world.mo, "practice_question", text="What else?")


def test_a_tasters_facilitator_finds_the_members_expectations_from_the_room(world, taster):
    url = reverse("expectations_list", args=[world.aurora.pk])
    room = reverse("meeting_room", args=[taster.pk])
    assert url in world.client(world.fran).get(room).content.decode()
    assert url not in world.client(world.mo).get(room).content.decode()
