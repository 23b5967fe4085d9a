"""The canvases of techniques in airtime, as plain functions (``meetings/room/techniques.py``)."""

import json

import pytest

from revans.meetings.room import techniques
from revans.meetings.room.techniques import KINDS, CanvasError, edit, new_canvas, ranking, view


def test_every_kind_adds_moves_scores_and_removes_notes():
    for name, kind in KINDS.items():
        canvas = new_canvas()
        zone = kind.zones[0][0]
        canvas = edit(name, canvas, "add", {"zone": zone, "text": "  a   note "})
        assert canvas["items"] == [
            {"id": 1, "zone": zone, "text": "a note"}
            | ({"score": kind.score.default} if techniques._scored(kind, zone) else {})
        ]
        canvas = edit(name, canvas, "title", {"text": "What it is about"})
        assert view(name, canvas)["title"] == "What it is about"
        if len(kind.zones) > 1 and name != "options_matrix":
            canvas = edit(name, canvas, "edit", {"item": 1, "zone": kind.zones[1][0]})
            assert canvas["items"][0]["zone"] == kind.zones[1][0]
        canvas = edit(name, canvas, "remove", {"item": 1})
        assert canvas["items"] == []


def test_an_edit_leaves_the_canvas_it_was_given_as_it_was():
    canvas = edit("swot", new_canvas(), "add", {"zone": "strengths", "text": "Loyal team"})
    before = json.dumps(canvas)
    edit("swot", canvas, "edit", {"item": 1, "text": "A loyal team"})
    assert json.dumps(canvas) == before


def test_a_force_field_adds_up_each_side():
    canvas = new_canvas("Move the team to the new rota")
    for zone, text, strength in [
        ("driving", "Overtime costs", 5),
        ("driving", "Staff asked for it", 3),
        ("restraining", "Union concerns", 4),
    ]:
        canvas = edit("force_field", canvas, "add", {"zone": zone, "text": text})
        canvas = edit(
            "force_field", canvas, "edit", {"item": canvas["next_id"] - 1, "score": strength}
        )
    assert view("force_field", canvas)["totals"] == {"driving": 8, "restraining": 4}


def test_an_options_matrix_ranks_its_options_by_weighted_total():
    canvas = new_canvas("Which supplier")
    for zone, text in [
        ("options", "Keep the current one"),
        ("options", "Tender"),
        ("criteria", "Cost"),
        ("criteria", "Risk"),
    ]:
        canvas = edit("options_matrix", canvas, "add", {"zone": zone, "text": text})
    canvas = edit("options_matrix", canvas, "edit", {"item": 3, "score": 5})  # cost weighs 5
    canvas = edit("options_matrix", canvas, "edit", {"item": 4, "score": 1})  # risk weighs 1
    for option, criterion, value in [(1, 3, 2), (1, 4, 5), (2, 3, 4), (2, 4, 1)]:
        canvas = edit(
            "options_matrix",
            canvas,
            "score",
            {"option": option, "criterion": criterion, "value": value},
        )
    rows = ranking(canvas)
    assert [(r["text"], r["total"]) for r in rows] == [
        ("Tender", 21),
        ("Keep the current one", 15),
    ]
    assert rows[0]["out_of"] == (5 + 1) * 5
    # Removing a criterion takes its scores with it.
    canvas = edit("options_matrix", canvas, "remove", {"item": 3})
    assert set(canvas["scores"]) == {"1:4", "2:4"}
    assert [r["total"] for r in ranking(canvas)] == [5, 1]


def test_five_whys_is_a_chain_of_at_most_seven():
    canvas = new_canvas("Reports are late")
    for n in range(7):
        canvas = edit("five_whys", canvas, "add", {"zone": "whys", "text": f"because {n}"})
    with pytest.raises(CanvasError, match="at most 7"):
        edit("five_whys", canvas, "add", {"zone": "whys", "text": "one more"})
    assert view("five_whys", canvas)["ordered"]


@pytest.mark.parametrize(
    ("kind", "op", "args", "message"),
    [
        ("swot", "add", {"zone": "nowhere", "text": "x"}, "columns"),
        ("swot", "add", {"zone": ["strengths"], "text": "x"}, "columns"),
        ("swot", "edit", {"item": 1, "zone": {"to": "threats"}}, "columns"),
        ("swot", "add", {"zone": "strengths", "text": "   "}, "Write something"),
        ("swot", "add", {"zone": "strengths", "text": 12}, "Write something"),
        ("swot", "add", {"zone": "strengths", "text": "x" * 201}, "under 200"),
        ("swot", "title", {"text": "x" * 301}, "under 300"),
        ("swot", "edit", {"item": 99, "text": "x"}, "no longer on the canvas"),
        ("swot", "edit", {"item": True, "text": "x"}, "no longer on the canvas"),
        ("swot", "edit", {"item": 1, "score": 3}, "no score"),
        ("force_field", "edit", {"item": 1, "score": 9}, "from 1 to 5"),
        ("force_field", "edit", {"item": 1, "score": "lots"}, "from 1 to 5"),
        # Found by tests/fuzz: each raised ValueError from int(), which closed the room socket.
        ("force_field", "edit", {"item": 1, "score": "--1"}, "from 1 to 5"),
        ("force_field", "edit", {"item": 1, "score": "²"}, "from 1 to 5"),
        ("force_field", "edit", {"item": 1, "score": "9" * 5000}, "from 1 to 5"),
        ("swot", "explode", {}, "not a change"),
        ("swot", ["add"], {}, "not a change"),
        ("swot", "score", {"option": 1, "criterion": 1, "value": 1}, "not a change"),
        ("options_matrix", "score", {"option": 1, "criterion": 1, "value": 1}, "option against"),
        ("options_matrix", "edit", {"item": 1, "zone": "criteria"}, "stays an option"),
    ],
)
def test_bad_edits_are_refused_with_a_message(kind, op, args, message):
    first = KINDS[kind].zones[0][0]
    canvas = edit(kind, new_canvas(), "add", {"zone": first, "text": "first"})
    with pytest.raises(CanvasError, match=message):
        edit(kind, canvas, op, args)


def test_a_score_typed_as_text_counts():
    canvas = edit("force_field", new_canvas(), "add", {"zone": "driving", "text": "Money"})
    for typed, score in ((" 4 ", 4), ("٣", 3), ("+2", 2)):
        canvas = edit("force_field", canvas, "edit", {"item": 1, "score": typed})
        assert canvas["items"][0]["score"] == score


def test_a_canvas_cannot_grow_without_bound():
    canvas = new_canvas()
    for zone, _ in KINDS["fishbone"].zones:
        for _ in range(10):
            canvas = edit("fishbone", canvas, "add", {"zone": zone, "text": "x" * 200})
    with pytest.raises(CanvasError, match="full"):
        edit("fishbone", canvas, "add", {"zone": "people", "text": "one more"})
    assert len(json.dumps(canvas)) < 20_000
