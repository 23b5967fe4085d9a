"""Every figure against known data, and the n ≥ 5 rule at four and five people."""

from django.utils import timezone

from revans.evaluation.figures import (
    WITHHELD,
    figures_by_set,
    programme_figures,
    set_figures,
)
from revans.evaluation.models import ProgrammeQuestion, Survey
from revans.meetings.testing import make_meeting

from .conftest import add_members, answer


def by_key(figures):
    return {f.question.key: f for f in figures}


def test_a_question_four_people_answered_is_withheld_without_any_number(world, five):
    for membership, value in zip(five[:4], [1, 2, 3, 4], strict=True):
        answer(membership, Survey.START, {"aware": value})
    figure = by_key(set_figures(world.aurora).start)["aware"]
    assert figure.withheld
    assert (figure.answered, figure.answers, figure.mean, figure.distribution) == (None,) * 4
    assert figure.shown == WITHHELD == "fewer than 5 answered"


def test_a_question_five_people_answered_has_its_count_mean_and_distribution(world, five):
    for membership, value in zip(five, [1, 2, 4, 4, 5], strict=True):
        answer(membership, Survey.START, {"aware": value, "confident": 3})
    figures = by_key(set_figures(world.aurora).start)
    aware = figures["aware"]
    assert (aware.answered, aware.answers, aware.mean) == (5, 5, 3.2)
    assert aware.distribution == (1, 1, 0, 2, 1)
    assert aware.shown == "3.2"
    assert figures["confident"].mean == 3.0
    # Questions nobody answered are withheld too, not zero.
    assert figures["creative"].withheld


def test_every_self_assessment_question_has_a_figure_in_order(world):
    keys = [f.question.key for f in set_figures(world.aurora).start]
    assert keys == [
        "aware",
        "confident",
        "initiative",
        "peer_support",
        "teamwork",
        "creative",
        "questioning",
        "safety",
    ]


def test_the_end_survey_adds_would_you_recommend(world, five):
    for membership, value in zip(five, [5, 5, 4, 3, 5], strict=True):
        answer(membership, Survey.END, {"recommend": value})
    recommend = by_key(set_figures(world.aurora).end)["recommend"]
    assert (recommend.answered, recommend.mean, recommend.distribution) == (5, 4.4, (0, 0, 1, 1, 3))


def test_change_counts_only_people_who_answered_both(world, five):
    sixth = world.mo_in_aurora
    for membership, (start, end) in zip(
        five, [(1, 3), (2, 3), (2, 4), (3, 3), (2, 5)], strict=True
    ):
        answer(membership, Survey.START, {"confident": start})
        answer(membership, Survey.END, {"confident": end})
    answer(sixth, Survey.START, {"confident": 1})  # no end survey: not in the change
    change = by_key(set_figures(world.aurora).change)["confident"]
    assert change.answered_both == 5
    assert (change.start_mean, change.end_mean, change.change) == (2.0, 3.6, 1.6)
    assert change.shown == "+1.6"


def test_change_is_withheld_when_four_answered_both_even_if_more_answered_one(world, five):
    for membership in five[:4]:
        answer(membership, Survey.START, {"teamwork": 2})
        answer(membership, Survey.END, {"teamwork": 4})
    answer(five[4], Survey.START, {"teamwork": 2})
    answer(world.mo_in_aurora, Survey.END, {"teamwork": 4})
    figures = set_figures(world.aurora)
    change = by_key(figures.change)["teamwork"]
    assert change.withheld and change.change is None and change.shown == WITHHELD
    assert by_key(figures.start)["teamwork"].answered == 5
    assert by_key(figures.end)["teamwork"].answered == 5


def test_skipped_responses_count_for_nothing(world, five):
    for membership in five[:4]:
        answer(membership, Survey.START, {"aware": 4})
    answer(five[4], Survey.START, {"aware": 4}, skipped=True)
    assert by_key(set_figures(world.aurora).start)["aware"].withheld


def test_pulse_per_meeting_and_over_all_meetings(world, five):
    first = make_meeting(world.aurora, 1, days=-14, status="closed")
    second = make_meeting(world.aurora, 2, days=-7, status="closed")
    for membership, value in zip(five, [3, 3, 4, 4, 5], strict=True):
        answer(membership, Survey.PULSE, {"useful": value, "voice": 5}, meeting=first)
    for membership in five[:4]:
        answer(membership, Survey.PULSE, {"useful": 2}, meeting=second)
    figures = set_figures(world.aurora)
    points = figures.pulse_over_time
    assert [(p.label, p.meeting_id) for p in points] == [
        ("Meeting 1", first.pk),
        ("Meeting 2", second.pk),
    ]
    assert by_key(points[0].figures)["useful"].mean == 3.8
    assert by_key(points[0].figures)["voice"].distribution == (0, 0, 0, 0, 5)
    assert by_key(points[1].figures)["useful"].withheld  # four people
    # Over all meetings: five people, nine answers.
    useful = by_key(figures.pulse)["useful"]
    assert (useful.answered, useful.answers) == (5, 9)
    assert useful.mean == round((3 + 3 + 4 + 4 + 5 + 2 * 4) / 9, 2)


def test_a_pulse_over_several_meetings_by_four_people_is_withheld(world, five):
    meetings = [make_meeting(world.aurora, n, days=-7 * n, status="closed") for n in (1, 2)]
    for meeting in meetings:
        for membership in five[:4]:
            answer(membership, Survey.PULSE, {"useful": 4}, meeting=meeting)
    assert by_key(set_figures(world.aurora).pulse)["useful"].withheld


def test_a_programme_pools_its_sets_and_gives_pulses_by_month(world, five):
    beacon = add_members(world.beacon, 3, prefix="b")
    march = make_meeting(world.aurora, 1, days=-40, status="closed")
    april = make_meeting(world.beacon, 1, days=-40, status="closed")
    for membership in five[:3] + beacon[:2]:
        meeting = march if membership.set_id == world.aurora.pk else april
        answer(membership, Survey.PULSE, {"useful": 4}, meeting=meeting)
        answer(membership, Survey.START, {"aware": 2})
    figures = programme_figures(world.programme)
    assert by_key(figures.start)["aware"].answered == 5
    assert by_key(figures.start)["aware"].mean == 2.0
    [month] = figures.pulse_over_time
    assert month.meeting_id is None
    assert month.on == timezone.localtime(march.starts_at).date().replace(day=1)
    assert by_key(month.figures)["useful"].answered == 5
    # Each set on its own has fewer than five: withheld.
    per_set = figures_by_set(world.programme)
    assert set(per_set) == {world.aurora.pk, world.beacon.pk}
    assert by_key(per_set[world.aurora.pk].start)["aware"].withheld
    assert by_key(per_set[world.beacon.pk].start)["aware"].withheld


def test_a_set_of_another_programme_is_not_counted(world, five):
    from revans.programmes.models import Programme
    from revans.sets.models import Set

    other = Programme.objects.create(
        name="Other", sponsor=world.trust, starts_on="2026-01-01", ends_on="2026-12-31"
    )
    elsewhere = Set.objects.create(name="Elsewhere", programme=other, status="active")
    for membership in add_members(elsewhere, 5, prefix="e"):
        answer(membership, Survey.START, {"aware": 5})
    assert by_key(programme_figures(world.programme).start)["aware"].withheld
    assert by_key(programme_figures(other).start)["aware"].answered == 5


def test_themes_are_only_what_authors_agreed_to_share_sorted_never_attributed(world, five):
    words = ["Being listened to", "Time to think", "The questions", "Zest", "A safe place"]
    for membership, text, share in zip(five, words, [True, False, True, True, False], strict=True):
        answer(membership, Survey.END, {"value_most": text}, share=share)
    themes = set_figures(world.aurora).themes
    assert themes.shared == ("Being listened to", "The questions", "Zest")
    assert not themes.withheld


def test_themes_are_withheld_when_four_people_wrote_what_they_valued(world, five):
    for membership in five[:4]:
        answer(membership, Survey.END, {"value_most": "The set"}, share=True)
    answer(five[4], Survey.END, {"recommend": 5})  # answered the survey, not that question
    themes = set_figures(world.aurora).themes
    assert themes.withheld and themes.shared is None


def test_a_programme_scale_question_has_figures_and_a_change(world, five):
    own = ProgrammeQuestion.objects.create(programme=world.programme, text="I lead change.")
    text = ProgrammeQuestion.objects.create(
        programme=world.programme, text="Anything else?", kind="text", position=2
    )
    for membership in five:
        answer(membership, Survey.START, {own.key: 2, text.key: "words"})
        answer(membership, Survey.END, {own.key: 4})
    figures = set_figures(world.aurora)
    assert by_key(figures.start)[own.key].mean == 2.0
    assert text.key not in by_key(figures.start)  # free text has no figure
    assert by_key(figures.change)[own.key].change == 2.0
    assert [f.question.key for f in figures.start][-1] == own.key  # after the shipped ones


def test_figures_read_the_answers_in_one_query(world, five, django_assert_num_queries):
    meeting = make_meeting(world.aurora, 1, days=-1, status="closed")
    for membership in five:
        answer(membership, Survey.START, {"aware": 3})
        answer(membership, Survey.PULSE, {"useful": 3}, meeting=meeting)
    # The programme's own questions, the answers, and the pulses' meetings (read apart, so that
    # each meeting's date is converted once, not once per answer).
    with django_assert_num_queries(3):
        programme_figures(world.programme)
    with django_assert_num_queries(4):  # and the programme's sets
        figures_by_set(world.programme)


def test_nothing_answered_gives_every_figure_withheld(world):
    figures = programme_figures(world.programme)
    assert all(f.withheld for f in figures.start + figures.end + figures.pulse + figures.change)
    assert figures.pulse_over_time == ()
    assert figures.themes.withheld
