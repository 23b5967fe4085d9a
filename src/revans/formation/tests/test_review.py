"""The review of proposed sets: diversity on one 0–100 scale for every set, a set that breaks a
rule never shown as the better one without saying so, sets found by name or by a person's name
(without JavaScript too), and moves that bring the page back to where the manager was."""

import csv
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse

from revans.formation import review
from revans.formation.board import Board, BoardSet, board_for
from revans.grouping import RuleCheck, RuleKind

from .conftest import generated_rows, import_cohort


def url(name: str, programme, *args) -> str:
    return reverse(name, args=[programme.pk, *args])


def page(world, cohort, who="pam", **params):
    return world.client(getattr(world, who)).get(url("cohort", cohort.programme), params)


def shown_sets(html: str) -> list[str]:
    """The names of the set cards the page shows (not hidden by a search)."""
    names = []
    for card in html.split('<section class="card proposed-set')[1:]:
        head = card.split(">", 1)[0]
        if " hidden" not in head:
            names.append(card.split('<h3 id="ps-', 1)[1].split(">", 1)[1].split("<", 1)[0])
    return names


# One scale for every set


def board_of(*sets: tuple[int, float, bool], best_pair: float = 4.0) -> Board:
    """A board of sets given as (people, raw score, breaks a rule)."""
    board_sets = [
        BoardSet(
            proposed=f"Set {k}",
            members=[SimpleNamespace(name=f"P{k}.{i}", email=f"p{k}.{i}@x.org") for i in range(n)],
            score=score,
            broken=[RuleCheck(f"size of set {k}", False, "", k, kind=RuleKind.SIZE)]
            if broken
            else [],
            slots=[],
        )
        for k, (n, score, broken) in enumerate(sets, start=1)
    ]
    return Board(board_sets, [], 0.0, 3.0, 2.0, best_pair)


def test_marks_are_the_mean_pair_diversity_out_of_the_cohorts_best_pair():
    # Seven people hold 21 pairs, eight hold 28: the raw sums differ, the marks are equal.
    board = board_of((7, 21 * 3.0, False), (8, 28 * 3.0, False), (6, 15 * 4.0, False))
    scale = review.read(board)
    assert [s.mark for s in board.sets] == [75, 75, 100]
    assert (scale.mean, scale.random, scale.held_mean) == (75, 50, 83)


def test_marks_stay_in_range_for_a_lone_person_or_a_cohort_where_nobody_differs():
    assert review.read(board_of((1, 0.0, False))).mean == 75
    assert review.set_mark(board_of((1, 0.0, False)).sets[0], 4.0) == 0
    flat = board_of((7, 0.0, False), best_pair=0.0)
    assert review.read(flat) == review.Scale(mean=0, random=0, held_mean=0)


def test_a_set_breaking_a_rule_above_the_held_sets_says_so():
    board = board_of((7, 21 * 3.0, False), (3, 3 * 3.8, True), (9, 36 * 2.0, True))
    scale = review.read(board)
    assert scale.held_mean == 75
    held, small, big = board.sets
    assert (small.mark, small.above_held) == (95, True)
    assert (big.mark, big.above_held) == (50, False)
    assert held.above_held is False


def test_when_every_set_breaks_a_rule_there_is_nothing_to_be_above():
    board = board_of((3, 3 * 3.8, True), (9, 36 * 2.0, True))
    assert review.read(board).held_mean is None
    assert not any(s.above_held for s in board.sets)


def test_every_set_on_the_page_shows_its_mark_and_the_scale_is_explained(world, formed):
    html = page(world, formed).text
    board = board_for(formed)
    for s in board.sets:
        assert f"diversity <strong>{review.set_mark(s, board.best_pair)}</strong>/100" in html
    assert "Diversity is out of 100 for every set, whatever its size" in html
    assert "the cohort's two most different people" in html
    assert html.count('class="diversity-bar"') == len(board.sets)


def test_a_set_made_too_small_by_hand_shows_why_its_mark_is_higher(world, formed):
    board = board_for(formed)
    first, second, third = board.sets
    # Four people of Set 1 go to Set 2 and Set 3: Set 1 is left with three.
    client = world.client(world.pam)
    for person, target in zip(first.members[:4], [second, second, third, third], strict=True):
        client.post(
            url("cohort_move", world.programme), {"person": person.pk, "to": target.proposed.pk}
        )
    board = board_for(formed)
    scale = review.read(board)
    html = page(world, formed).text
    for s in board.sets:
        note = f"{s.mark} is above the sets that keep every rule"
        assert (note in html) == s.above_held
        if s.above_held:
            assert f"({scale.held_mean} on average), but this set breaks:" in html
    assert all(s.broken for s in board.sets)  # 3, 9 and 9: no set holds its size
    assert 'class="diversity-bar breaks"' in html


def test_the_download_gives_each_set_its_mark(world, formed):
    response = world.client(world.pam).get(url("cohort_export", world.programme))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    board = board_for(formed)
    marks = {str(s.proposed): str(review.set_mark(s, board.best_pair)) for s in board.sets}
    assert {row["proposed_set"]: row["set_diversity"] for row in rows} == marks


# Finding a set


def test_a_set_is_found_by_a_persons_name_without_javascript(world, formed):
    board = board_for(formed)
    person = board.sets[1].members[2]
    html = page(world, formed, find=person.name.upper()).text
    assert shown_sets(html) == [str(board.sets[1].proposed)]
    assert "1 of 3 sets" in html
    assert f'value="{person.name.upper()}"' in html  # the box keeps the search
    assert html.count(" hidden>") >= 2


def test_a_set_is_found_by_its_name_or_a_persons_email(world, formed):
    board = board_for(formed)
    assert shown_sets(page(world, formed, find="set 3").text) == ["Set 3"]
    email = board.sets[0].members[0].email
    assert shown_sets(page(world, formed, find=email).text) == [str(board.sets[0].proposed)]


def test_a_search_finding_nothing_says_so_and_offers_every_set_again(world, formed):
    html = page(world, formed, find="<b>Nobody</b>").text
    assert shown_sets(html) == []
    assert "0 of 3 sets: none has “&lt;b&gt;Nobody&lt;/b&gt;”" in html and "<b>Nobody" not in html
    assert "show all" in html


@pytest.mark.parametrize("find", ["", "   ", "x" * 5000, "\x00"])
def test_an_empty_or_outlandish_search_is_no_error(world, formed, find):
    response = page(world, formed, find=find)
    assert response.status_code == 200
    assert len(shown_sets(response.text)) == (3 if not find.strip() or find == "\x00" else 0)


@pytest.mark.parametrize("who", ["fran", "mo", "nia"])
def test_nobody_but_the_programmes_managers_can_search_its_sets(world, formed, who):
    assert page(world, formed, who=who, find="Set").status_code == 404


def test_another_programmes_people_are_not_found_here(world, formed):
    from revans.programmes.models import Programme

    other = Programme.objects.create(
        name="Other", sponsor=world.council, starts_on="2027-01-01", ends_on="2027-06-01"
    )
    theirs = import_cohort(other, world.pam, generated_rows(21, seed=2))
    email = theirs.participants.first().email
    assert shown_sets(page(world, formed, find=email).text) == []


# Moves keep the page where it was


def test_a_move_without_javascript_returns_to_the_set_it_was_made_from_with_the_search(
    world, formed
):
    board = board_for(formed)
    person = board.sets[2].members[0]
    response = world.client(world.pam).post(
        url("cohort_move", world.programme),
        {"person": person.pk, "to": board.sets[0].proposed.pk, "find": "Set 3"},
    )
    assert response["Location"] == (
        url("cohort", world.programme) + f"?find=Set+3#set-{board.sets[2].proposed.pk}"
    )
    assert f'id="set-{board.sets[2].proposed.pk}"' in page(world, formed).text


def test_a_lock_or_a_facilitator_returns_to_its_set(world, formed):
    board = board_for(formed)
    person = board.sets[1].members[0]
    client = world.client(world.pam)
    response = client.post(
        url("cohort_lock", world.programme), {"person": person.pk, "locked": "1"}
    )
    assert response["Location"].endswith(f"#set-{board.sets[1].proposed.pk}")
    response = client.post(
        url("cohort_facilitator", world.programme),
        {"set": board.sets[2].proposed.pk, "facilitator": ""},
    )
    assert response["Location"].endswith(f"#set-{board.sets[2].proposed.pk}")


def test_a_bad_move_without_javascript_returns_to_the_proposal(world, formed):
    response = world.client(world.pam).post(url("cohort_move", world.programme), {"to": "x"})
    assert response["Location"] == url("cohort", world.programme) + "#proposal"


def test_a_move_answered_to_htmx_keeps_the_search_and_shows_its_message_apart(world, formed):
    board = board_for(formed)
    person = board.sets[0].members[0]
    response = world.client(world.pam).post(
        url("cohort_move", world.programme),
        {"person": person.pk, "to": board.sets[1].proposed.pk, "find": "Set 2"},
        headers={"HX-Request": "true"},
    )
    html = response.text
    assert shown_sets(html) == ["Set 2"]
    assert '<div class="messages board-messages" role="status">' in html
    assert 'hx-preserve="true"' in html  # the search box survives the swap, focus and all
