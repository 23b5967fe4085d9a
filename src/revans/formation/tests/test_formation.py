"""Forming a cohort's sets: runs in the background, the board of proposed sets, moves and locks,
facilitators, accepting, and who may do any of it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from revans.accounts.models import Organisation, User
from revans.formation import facilitators, review, runs
from revans.formation.board import board_for
from revans.formation.forms import CohortSettingsForm
from revans.formation.models import Cohort, FormationRun, Participant, ProposedSet
from revans.grouping.cohort import Formation
from revans.programmes.models import Programme
from revans.sets.models import Invitation, Membership, Role, Set
from revans.site.testing import make_person

from .conftest import HEADER, form_sets, generated_rows, import_cohort

Status = FormationRun.Status


def url(name: str, programme: Programme, *args) -> str:
    return reverse(name, args=[programme.pk, *args])


def sets_of(cohort: Cohort) -> dict[str, set[str]]:
    """Proposed set name → the e-mails of its people."""
    sets: dict[str, set[str]] = {s.name: set() for s in cohort.proposed_sets.all()}
    for p in cohort.participants.select_related("proposed_set"):
        sets[p.proposed_set.name].add(p.email)
    return sets


# Runs


def test_manager_starts_a_run_and_it_forms_sets_that_hold_every_rule(
    world, cohort, django_capture_on_commit_callbacks, launched
):
    client = world.client(world.pam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("cohort_run", world.programme))
    assert response.status_code == 302
    run = cohort.runs.get()
    assert (run.status, run.started_by, run.seconds) == (Status.QUEUED, world.pam, 1)
    assert launched == [run.pk]
    page = client.get(url("cohort", world.programme)).content.decode()
    assert "Forming the sets…" in page

    assert runs.execute_run(run.pk) == Status.DONE
    run.refresh_from_db()
    assert (run.status, run.progress) == (Status.DONE, 1.0)
    assert run.best > 0 and run.finished_at is not None
    assert not cohort.participants.filter(proposed_set=None).exists()
    board = board_for(cohort)
    assert len(board.sets) == 3 and [len(s.members) for s in board.sets] == [7, 7, 7]
    assert board.rules and board.broken == []
    kinds = {kind for kind, _, _ in board.rule_groups()}
    assert {"set sizes", "managers never with their reports", "keep-apart pairs apart"} <= kinds
    page = client.get(url("cohort", world.programme)).content.decode()
    assert "Every rule holds" in page
    assert "Accept and create 3 sets" in page


def test_a_second_run_is_not_started_while_one_is_active(world, cohort):
    client = world.client(world.pam)
    client.post(url("cohort_run", world.programme))
    response = client.post(url("cohort_run", world.programme), follow=True)
    assert cohort.runs.count() == 1
    assert "The sets are already being formed." in response.content.decode()


def test_cancelling_a_queued_run_changes_nothing(world, formed):
    before = sets_of(formed)
    run = runs.start_run(formed, world.pam)
    response = world.client(world.pam).post(url("cohort_run_cancel", world.programme, run.pk))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == Status.CANCELLED and run.finished_at is not None
    assert runs.execute_run(run.pk) == "not queued"
    run.refresh_from_db()
    assert run.status == Status.CANCELLED
    assert sets_of(formed) == before


def test_cancelling_a_finished_run_says_so(world, formed):
    run = formed.runs.get()
    response = world.client(world.pam).post(
        url("cohort_run_cancel", world.programme, run.pk), follow=True
    )
    assert "That run had already finished." in response.content.decode()
    assert FormationRun.objects.get(pk=run.pk).status == Status.DONE


def test_stop_keeping_the_best_asks_a_running_run_to_stop(world, cohort):
    run = FormationRun.objects.create(
        cohort=cohort, seconds=1, status=Status.RUNNING, heartbeat_at=timezone.now()
    )
    client = world.client(world.pam)
    response = client.post(url("cohort_run_cancel", world.programme, run.pk), {"keep": "1"})
    assert response.status_code == 302
    assert FormationRun.objects.get(pk=run.pk).status == Status.STOPPING
    # A run that has not started yet has nothing to keep: stop does nothing to it.
    queued = FormationRun.objects.create(cohort=cohort, seconds=1)
    client.post(url("cohort_run_cancel", world.programme, queued.pk), {"keep": "1"})
    assert FormationRun.objects.get(pk=queued.pk).status == Status.QUEUED


def pressing_during_the_search(monkeypatch, run, keep_best: bool) -> list[bool]:
    """The manager presses stop (or cancel) while the search runs; returns what the progress
    callback answered the search."""
    answers: list[bool] = []
    real_solve = Formation.solve

    def solve(self, seconds, seed=0, progress=None, **options):
        def pressed(fraction, best):
            runs.cancel_run(run, keep_best=keep_best)
            answers.append(progress(fraction, best))
            return answers[-1]

        return real_solve(self, seconds, seed, pressed, **options)

    monkeypatch.setattr(Formation, "solve", solve)
    return answers


def test_stopping_during_the_search_keeps_the_best_sets_so_far(world, cohort, monkeypatch):
    run = runs.start_run(cohort, world.pam)
    answers = pressing_during_the_search(monkeypatch, run, keep_best=True)
    assert runs.execute_run(run.pk) == Status.DONE
    assert answers[0] is True  # the search was told to stop
    run.refresh_from_db()
    assert run.status == Status.DONE and run.best is not None
    assert not cohort.participants.filter(proposed_set=None).exists()
    assert board_for(cohort).broken == []


def test_cancelling_during_the_search_keeps_the_proposal_as_it_was(world, formed, monkeypatch):
    before = sets_of(formed)
    run = runs.start_run(formed, world.pam, seed=99)
    answers = pressing_during_the_search(monkeypatch, run, keep_best=False)
    assert runs.execute_run(run.pk) == Status.CANCELLED
    assert answers[0] is True
    assert FormationRun.objects.get(pk=run.pk).status == Status.CANCELLED
    assert sets_of(formed) == before


def test_a_run_whose_cohort_was_imported_anew_meanwhile_saves_nothing(world, formed, monkeypatch):
    run = runs.start_run(formed, world.pam, seed=99)
    solve = Formation.solve

    def reimport_during_the_search(self, *args, **kwargs):
        formed_sets = solve(self, *args, **kwargs)
        import_cohort(world.programme, world.pam, generated_rows(21))  # deletes the old cohort
        return formed_sets

    monkeypatch.setattr(Formation, "solve", reimport_during_the_search)
    assert runs.execute_run(run.pk) == "gone"
    assert not FormationRun.objects.filter(pk=run.pk).exists()
    assert not ProposedSet.objects.filter(cohort__programme=world.programme).exists()


def apart_clique(emails: list[str]) -> list[list[str]]:
    rows = generated_rows(21)
    k = HEADER.index("keep_apart")
    for row in rows[1:]:
        row[k] = ""  # the generated pairs are replaced by the clique
    for row in rows[1:]:
        if row[0] in emails:
            row[k] = ";".join(e for e in emails if e != row[0])
    return rows


@pytest.mark.parametrize("impossible", ["sizes", "keep apart", "organisation cap"])
def test_an_impossible_cohort_fails_with_its_problems_on_the_page(world, impossible):
    if impossible == "organisation cap":
        cohort = import_cohort(
            world.programme, world.pam, generated_rows(21), max_per_organisation=1
        )
        expected = "more than 1 in each of 3 sets"
    elif impossible == "sizes":
        cohort = import_cohort(
            world.programme, world.pam, generated_rows(21), size_min=8, size_max=9
        )
        expected = "21 people cannot be split into sets of 8–9"
    else:
        emails = [row[0] for row in generated_rows(21)[1:5]]
        cohort = import_cohort(world.programme, world.pam, apart_clique(emails))
        expected = "must all be kept apart from each other, but there are only 3 sets"
    run = form_sets(cohort, world.pam)
    assert run.status == Status.FAILED
    assert any(expected in problem for problem in run.problems), run.problems
    assert not cohort.participants.exclude(proposed_set=None).exists()
    page = world.client(world.pam).get(url("cohort", world.programme)).content.decode()
    assert "The last run could not form sets that hold every rule" in page
    assert expected in page


def test_a_run_silent_for_long_shows_as_stalled_and_pages_write_nothing(world, cohort):
    long_ago = timezone.now() - runs.STALLED_AFTER - timedelta(seconds=5)
    running = FormationRun.objects.create(
        cohort=cohort, seconds=1, status=Status.RUNNING, heartbeat_at=long_ago
    )
    assert runs.active_run(cohort) is None and runs.stalled_run(cohort) == running
    client = world.client(world.pam)
    page = client.get(url("cohort", world.programme)).content.decode()
    assert "The run stopped without finishing (the server restarted?)" in page
    status = client.get(reverse("cohort_run_status", args=[world.programme.pk, running.pk]))
    assert status.status_code == 302
    running.refresh_from_db()
    assert running.status == Status.RUNNING  # reading the pages changed nothing


def test_the_stalled_runs_task_marks_a_silent_run_failed_and_spares_a_live_one(world, cohort):
    long_ago = timezone.now() - runs.STALLED_AFTER - timedelta(seconds=5)
    running = FormationRun.objects.create(
        cohort=cohort, seconds=1, status=Status.RUNNING, heartbeat_at=long_ago
    )
    assert runs.fail_stalled.call(cohort.pk) == 1
    running.refresh_from_db()
    assert running.status == Status.FAILED and "server restarted" in running.problems[0]
    fresh = FormationRun.objects.create(
        cohort=cohort, seconds=1, status=Status.RUNNING, heartbeat_at=timezone.now()
    )
    assert runs.fail_stalled_runs() == 0 and runs.active_run(cohort) == fresh
    fresh.status, fresh.heartbeat_at = Status.QUEUED, None
    fresh.created_at = timezone.now() - timedelta(minutes=11)
    fresh.save()
    assert runs.active_run(cohort) is None
    assert runs.fail_stalled.call() == 1
    assert FormationRun.objects.get(pk=fresh.pk).status == Status.FAILED


def test_starting_a_run_fails_the_one_that_died_first(world, cohort):
    queued = FormationRun.objects.create(
        cohort=cohort, seconds=1, created_at=timezone.now() - timedelta(minutes=11)
    )
    world.client(world.pam).post(url("cohort_run", world.programme))
    queued.refresh_from_db()
    assert queued.status == Status.FAILED
    assert cohort.runs.filter(status=Status.QUEUED).exclude(pk=queued.pk).count() == 1


def test_locked_people_stay_in_their_sets_when_the_sets_are_formed_again(world, formed):
    client = world.client(world.pam)
    board = board_for(formed)
    keep = [(p.pk, s.proposed.name) for s in board.sets[:2] for p in s.members[:3]]
    response = client.post(
        url("cohort_lock", world.programme), {"person": [pk for pk, _ in keep], "locked": "1"}
    )
    assert response.status_code == 302
    assert formed.participants.filter(locked=True).count() == 6
    for seed in (7, 8):
        assert form_sets(formed, world.pam, seed=seed).status == Status.DONE
        for pk, name in keep:
            assert Participant.objects.get(pk=pk).proposed_set.name == name
    assert board_for(formed).broken == []
    client.post(url("cohort_lock", world.programme), {"person": [keep[0][0]], "locked": "0"})
    assert formed.participants.filter(locked=True).count() == 5


def test_the_set_column_locks_people_through_every_run(world):
    rows = generated_rows(21)
    rows[0].append("set")
    for row in rows[1:]:
        row.append("")
    rows[1][-1] = rows[2][-1] = "North"
    cohort = import_cohort(world.programme, world.pam, rows)
    form_sets(cohort, world.pam)
    sets = sets_of(cohort)
    assert {rows[1][0], rows[2][0]} <= sets["North"]
    assert sorted(sets) == ["1", "2", "North"]


def test_run_status_is_a_partial_while_active_and_a_redirect_when_finished(world, cohort):
    client = world.client(world.pam)
    run = runs.start_run(cohort, world.pam)
    status_url = url("cohort_run_status", world.programme, run.pk)
    response = client.get(status_url)
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["formation/_run.html"]
    assert "Waiting to start" in response.content.decode()
    runs.execute_run(run.pk)
    response = client.get(status_url)
    assert response.status_code == 302
    assert response["Location"] == url("cohort", world.programme)
    response = client.get(status_url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == url("cohort", world.programme)


# The board: moves and locks


def test_moving_one_person_rescores_the_board(world, formed):
    client = world.client(world.pam)
    board = board_for(formed)
    person = board.sets[0].members[-1]
    target = board.sets[1].proposed
    response = client.post(
        url("cohort_move", world.programme), {"person": person.pk, "to": target.pk}
    )
    assert response.status_code == 302
    # Back to the set the person was taken from, where the manager was working.
    assert (
        response["Location"] == url("cohort", world.programme) + f"#set-{board.sets[0].proposed.pk}"
    )
    assert Participant.objects.get(pk=person.pk).proposed_set == target

    mover = board.sets[0].members[0]
    response = client.post(
        url("cohort_move", world.programme),
        {"person": mover.pk, "to": board.sets[2].proposed.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.templates[0].name == "formation/_board.html"
    html = response.content.decode()
    assert "Moved 1 person to Set 3." in html
    after = board_for(formed)
    assert [len(s.members) for s in after.sets] == [5, 8, 8]
    for s in after.sets:
        assert f"diversity <strong>{review.set_mark(s, after.best_pair)}</strong>/100" in html
    assert after.sets[0].score != board.sets[0].score


def test_a_move_that_breaks_a_rule_is_flagged_and_blocks_accepting(world, formed):
    report = formed.participants.exclude(manager=None).select_related("manager").first()
    response = world.client(world.pam).post(
        url("cohort_move", world.programme),
        {"person": report.pk, "to": report.manager.proposed_set_id},
        headers={"HX-Request": "true"},
    )
    board = board_for(formed)
    broken = [c for c in board.broken if c.rule.startswith("manager and report")]
    assert len(broken) == 1 and report.email in broken[0].rule
    flagged = next(s for s in board.sets if s.proposed.pk == report.manager.proposed_set_id)
    assert broken[0] in flagged.broken
    html = response.content.decode()
    assert "rule broken" in html or "rules broken" in html
    assert f"{broken[0].rule}: {broken[0].detail}" in html
    assert "Accept and create" not in html

    response = world.client(world.pam).post(url("cohort_accept", world.programme), follow=True)
    assert "The sets cannot be accepted while a rule is broken" in response.content.decode()
    assert broken[0].rule in response.content.decode()
    assert not Set.objects.filter(programme=world.programme).exclude(name__in=["Aurora", "Beacon"])
    formed.refresh_from_db()
    assert formed.accepted_at is None


def test_a_set_over_size_is_flagged(world, formed):
    board = board_for(formed)
    people = [board.sets[0].members[0].pk, board.sets[2].members[0].pk]
    world.client(world.pam).post(
        url("cohort_move", world.programme), {"person": people, "to": board.sets[1].proposed.pk}
    )
    board = board_for(formed)
    assert [len(s.members) for s in board.sets] == [6, 9, 6]
    sizes = [c for c in board.broken if c.rule.startswith("size of set")]
    assert [(c.rule, c.detail) for c in sizes] == [("size of set 2", "9, 6–8 allowed")]
    assert sizes[0] in board.sets[1].broken


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to": "TARGET"}, "Choose at least one person to move."),
        ({"person": ["abc", "²", "-3"], "to": "TARGET"}, "Choose at least one person to move."),
        ({"person": "PERSON"}, "Choose the set to move them to."),
        ({"person": "PERSON", "to": "abc"}, "Choose the set to move them to."),
        ({"person": "PERSON", "to": "OTHER_SET"}, "Choose the set to move them to."),
        ({"person": "OTHER_PERSON", "to": "TARGET"}, "Nobody was moved"),
    ],
)
def test_a_bad_move_gets_a_message_and_moves_nobody(world, formed, data, message):
    other = Programme.objects.create(
        name="Other", sponsor=world.council, starts_on="2027-01-01", ends_on="2027-06-01"
    )
    theirs = import_cohort(other, world.pam, generated_rows(21, seed=2))
    form_sets(theirs, world.pam)
    board = board_for(formed)
    values = {
        "TARGET": board.sets[1].proposed.pk,
        "PERSON": board.sets[0].members[0].pk,
        "OTHER_SET": theirs.proposed_sets.first().pk,
        "OTHER_PERSON": theirs.participants.first().pk,
    }

    def resolve(value):
        return [resolve(v) for v in value] if isinstance(value, list) else values.get(value, value)

    data = {key: resolve(value) for key, value in data.items()}
    before, theirs_before = sets_of(formed), sets_of(theirs)
    response = world.client(world.pam).post(
        url("cohort_move", world.programme), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert sets_of(formed) == before
    assert sets_of(theirs) == theirs_before


def test_lock_without_people_gets_a_message(world, formed):
    response = world.client(world.pam).post(
        url("cohort_lock", world.programme), {"person": ["x"], "locked": "1"}, follow=True
    )
    assert "Choose at least one person to lock or unlock." in response.content.decode()
    assert not formed.participants.filter(locked=True).exists()


def test_moves_wait_for_a_run_in_progress(world, formed):
    runs.start_run(formed, world.pam)
    board = board_for(formed)
    person = board.sets[0].members[0]
    before = sets_of(formed)
    response = world.client(world.pam).post(
        url("cohort_move", world.programme),
        {"person": person.pk, "to": board.sets[1].proposed.pk},
        follow=True,
    )
    assert "Wait for the run to finish" in response.content.decode()
    assert sets_of(formed) == before


# Facilitators


def test_manager_adds_and_removes_facilitators_in_the_pool(world, formed):
    client = world.client(world.pam)
    pool = url("cohort_pool", world.programme)
    assert client.post(pool, {"email": "NIA@example.org"}).status_code == 302
    assert world.nia in formed.facilitators.all()
    response = client.post(pool, {"email": "ghost@example.org"}, follow=True)
    assert "Nobody uses Revans with ghost@example.org yet." in response.content.decode()
    assert formed.facilitators.count() == 3

    proposed = formed.proposed_sets.first()
    proposed.facilitator = world.fran
    proposed.save()
    client.post(pool, {"remove": world.fran.pk})
    assert world.fran not in formed.facilitators.all()
    proposed.refresh_from_db()
    assert proposed.facilitator is None
    assert client.post(pool, {"remove": world.mo.pk}).status_code == 404
    assert client.post(pool, {"remove": "abc"}).status_code == 302  # read as an e-mail to add


def test_a_facilitator_from_a_members_organisation_is_refused_unless_allowed(world, formed):
    member = formed.participants.select_related("proposed_set", "organisation").first()
    fay = make_person("fay", member.organisation)
    formed.facilitators.add(fay)
    client = world.client(world.pam)
    data = {"set": member.proposed_set_id, "facilitator": fay.pk}
    response = client.post(url("cohort_facilitator", world.programme), data, follow=True)
    assert f"Fay is from {member.organisation}" in response.content.decode()
    assert ProposedSet.objects.get(pk=member.proposed_set_id).facilitator is None

    formed.facilitator_same_organisation = True
    formed.save()
    client.post(url("cohort_facilitator", world.programme), data)
    assert ProposedSet.objects.get(pk=member.proposed_set_id).facilitator == fay
    client.post(url("cohort_facilitator", world.programme), {**data, "facilitator": ""})
    assert ProposedSet.objects.get(pk=member.proposed_set_id).facilitator is None


def test_a_facilitator_out_of_the_pool_is_refused(world, formed):
    proposed = formed.proposed_sets.first()
    client = world.client(world.pam)
    for chosen in (world.nia.pk, "abc", "²"):
        response = client.post(
            url("cohort_facilitator", world.programme),
            {"set": proposed.pk, "facilitator": chosen},
            follow=True,
        )
        assert "Choose a facilitator from the pool." in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.facilitator is None
    response = client.post(
        url("cohort_facilitator", world.programme), {"set": "abc", "facilitator": world.fran.pk}
    )
    assert response.status_code == 404


def test_a_facilitator_whose_organisation_joins_the_set_later_is_flagged(world, formed):
    board = board_for(formed)
    first, second = board.sets[0], board.sets[1]
    fay = make_person("fay", Organisation.objects.create(name="Fellside", sector="charity"))
    newcomer = second.members[0]
    Participant.objects.filter(pk=newcomer.pk).update(organisation=fay.organisation)
    formed.facilitators.add(fay)
    client = world.client(world.pam)
    client.post(
        url("cohort_facilitator", world.programme),
        {"set": first.proposed.pk, "facilitator": fay.pk},
    )
    assert ProposedSet.objects.get(pk=first.proposed.pk).facilitator == fay
    response = client.post(
        url("cohort_move", world.programme),
        {"person": newcomer.pk, "to": first.proposed.pk},
        headers={"HX-Request": "true"},
    )
    assert "Facilitator: Fay is from Fellside, as " in response.content.decode()
    response = client.post(url("cohort_accept", world.programme), follow=True)
    assert "The sets cannot be accepted" in response.content.decode()
    assert "Fay is from Fellside" in response.content.decode()
    assert Cohort.objects.get(pk=formed.pk).accepted_at is None


@pytest.mark.parametrize(("per_facilitator", "given"), [(1, 2), (2, 3)])
def test_suggested_facilitators_respect_organisations_and_their_number_of_sets(
    world, formed, per_facilitator, given
):
    # Someone from Merseyvale Council in every set: pam may facilitate none of them.
    for proposed in formed.proposed_sets.all():
        proposed.participants.filter(
            pk=proposed.participants.order_by("row").values("pk")[:1]
        ).update(organisation=world.council)
    formed.facilitators.add(world.pam)
    formed.sets_per_facilitator = per_facilitator
    formed.save()
    response = world.client(world.pam).post(
        url("cohort_facilitators_suggest", world.programme), follow=True
    )
    chosen = list(formed.proposed_sets.values_list("facilitator", flat=True))
    assert sum(f is not None for f in chosen) == given
    assert world.pam.pk not in chosen
    assert max(chosen.count(world.fran.pk), chosen.count(world.gus.pk)) == per_facilitator
    html = response.content.decode()
    assert f"{given} sets given a facilitator." in html
    assert ("1 still need one" in html) == (given == 2)
    board = board_for(formed)
    assert facilitators.facilitator_problems(formed, board) == {}
    # A second suggestion keeps the facilitators given and has nobody more to give.
    assert facilitators.suggest_facilitators(formed, board) == 0
    assert list(formed.proposed_sets.values_list("facilitator", flat=True)) == chosen


def settings_as_posted(cohort: Cohort) -> dict:
    """The cohort's settings form as the page would send it unchanged."""
    form = CohortSettingsForm(instance=cohort)
    values = {name: form[name].value() for name in form.fields}
    return {k: "" if v is None else v for k, v in values.items() if v is not False}


def test_internal_facilitators_take_the_sets_first_when_the_cohort_prefers_them(world, formed):
    User.objects.filter(pk=world.fran.pk).update(facilitator_basis="internal")
    User.objects.filter(pk=world.gus.pk).update(facilitator_basis="external")
    formed.sets_per_facilitator = 3
    formed.save()
    fran = User.objects.get(pk=world.fran.pk)
    board = board_for(formed)
    frans = sum(facilitators.facilitator_fits(formed, fran, s.organisation_ids) for s in board.sets)
    assert frans >= 2  # the world's cohort leaves her more than one set to take

    def suggested() -> list:
        formed.proposed_sets.update(facilitator=None)
        facilitators.suggest_facilitators(formed, board_for(formed))
        return list(formed.proposed_sets.values_list("facilitator", flat=True))

    shared = suggested()
    assert shared.count(fran.pk) < frans  # shared out evenly: gus takes some
    response = world.client(world.pam).post(
        url("cohort_settings", world.programme),
        {**settings_as_posted(formed), "sets_per_facilitator": 3, "prefer_internal": "on"},
    )
    assert response.status_code == 302
    formed.refresh_from_db()
    assert formed.prefer_internal
    preferred = suggested()
    assert preferred.count(fran.pk) == frans
    assert None not in preferred  # and every set still has someone
    page = world.client(world.pam).get(url("cohort", world.programme)).content.decode()
    assert "internal facilitators first" in page and ">internal</span>" in page


# Accepting


def test_accepting_creates_sets_memberships_and_invitations(world, formed):
    people = list(formed.participants.select_related("proposed_set").order_by("row"))
    known = people[:4]
    for p in known:
        User.objects.create_user(email=p.email, password="a-long-test-password")
    board = board_for(formed)
    for s, facilitator in zip(board.sets, (world.fran, world.gus), strict=False):
        s.proposed.facilitator = facilitator
        s.proposed.save()
    before_sets = Set.objects.count()

    response = world.client(world.pam).post(url("cohort_accept", world.programme))
    assert response.status_code == 302
    assert response["Location"] == reverse("programme_detail", args=[world.programme.pk])
    new_sets = Set.objects.filter(programme=world.programme).exclude(
        pk__in=[world.aurora.pk, world.beacon.pk]
    )
    assert new_sets.count() == len(board.sets) == Set.objects.count() - before_sets
    for s in board.sets:
        set_ = new_sets.get(name=f"Leading Change · {s.proposed}")
        assert set_.status == Set.Status.FORMING
        members = {m.user.email: m.role for m in set_.memberships.select_related("user")}
        invited = set(set_.invitations.values_list("email", flat=True))
        emails = {p.email for p in s.members}
        assert {e for e, r in members.items() if r == Role.MEMBER} == emails & {
            p.email for p in known
        }
        assert invited == emails - {p.email for p in known}
        facilitators = [e for e, r in members.items() if r == Role.FACILITATOR]
        expected = [s.proposed.facilitator.email] if s.proposed.facilitator else []
        assert facilitators == expected
    invitations = Invitation.objects.filter(set__in=new_sets)
    assert invitations.count() == len(people) - len(known)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        invitations.values_list("email", flat=True)
    )
    formed.refresh_from_db()
    assert formed.accepted_at is not None

    page = world.client(world.pam).get(url("cohort", world.programme))
    assert page.templates[0].name == "formation/cohort_accepted.html"


MUTATING = [
    ("cohort_import", {}),
    ("cohort_import_confirm", {}),
    ("cohort_settings", {}),
    ("cohort_pairs", {}),
    ("cohort_pair_remove", {"kind": "manager"}),
    ("cohort_run", {}),
    ("cohort_move", {}),
    ("cohort_lock", {"locked": "1"}),
    ("cohort_facilitator", {}),
    ("cohort_facilitators_suggest", {}),
    ("cohort_pool", {"email": "nia@example.org"}),
    ("cohort_accept", {}),
]


def test_an_accepted_cohort_changes_no_more(world, formed):
    run = formed.runs.get()
    world.client(world.pam).post(url("cohort_accept", world.programme))
    sets = Set.objects.count()
    client = world.client(world.pam)
    first = formed.participants.exclude(manager=None).first()
    for name, data in MUTATING:
        data = {**data, "first": first.pk, "person": first.pk, "set": first.proposed_set_id}
        assert client.post(url(name, world.programme), data).status_code == 404, name
    for name in ("cohort_run_status", "cohort_run_cancel"):
        assert client.post(url(name, world.programme, run.pk)).status_code == 404, name
    assert client.get(url("cohort_pairs", world.programme)).status_code == 404
    assert Set.objects.count() == sets
    assert Participant.objects.get(pk=first.pk).manager is not None


# Who may do it


def all_urls(programme: Programme, run: FormationRun) -> list[str]:
    names = [name for name, _ in MUTATING] + ["cohort"]
    return [url(n, programme) for n in names] + [
        url(n, programme, run.pk) for n in ("cohort_run_status", "cohort_run_cancel")
    ]


def missing(address: str, programme: Programme) -> str:
    """The same address for a programme that does not exist."""
    return address.replace(f"/programmes/{programme.pk}/", "/programmes/999999/", 1)


@pytest.mark.parametrize("who", ["fran", "mo", "obi", "oli", "nia", "gus"])
def test_nobody_but_the_programmes_managers_gets_more_than_a_missing_programme_gives(
    world, formed, who
):
    """404 for every address, as for a programme that does not exist (a form's address
    answers a GET with 405 whether or not the programme exists)."""
    run = formed.runs.get()
    client = world.client(getattr(world, who))
    before = sets_of(formed)
    for address in all_urls(world.programme, run):
        status = client.get(address).status_code
        assert (
            status in (404, 405)
            and status == client.get(missing(address, world.programme)).status_code
        ), address
        assert client.post(address, {"email": "nia@example.org"}).status_code == 404, address
    assert sets_of(formed) == before
    assert formed.runs.count() == 1
    assert list(formed.facilitators.all()) == [world.fran, world.gus]


def test_an_anonymous_visitor_is_sent_to_sign_in(world, formed):
    run = formed.runs.get()
    client = world.client(None)
    for address in all_urls(world.programme, run):
        for response in (client.get(address), client.post(address)):
            assert response.status_code == 302, address
            assert response["Location"].startswith(reverse("account_login")), address


def test_a_manager_of_another_programme_gets_404_for_this_cohort(world, formed):
    ola = make_person("ola", world.trust)
    other = Programme.objects.create(
        name="Other", sponsor=world.trust, starts_on="2027-01-01", ends_on="2027-06-01"
    )
    other.managers.add(ola)
    theirs = import_cohort(other, ola, generated_rows(21, seed=2))
    their_run = form_sets(theirs, ola)
    client = world.client(ola)
    for address in all_urls(world.programme, formed.runs.get()):
        assert client.get(address).status_code in (404, 405), address
        assert client.post(address).status_code == 404, address
    # Nor may pam reach ola's run through her own programme's address.
    pam = world.client(world.pam)
    assert pam.get(url("cohort_run_status", world.programme, their_run.pk)).status_code == 404
    assert pam.post(url("cohort_run_cancel", world.programme, their_run.pk)).status_code == 404
    assert client.get(url("cohort", other)).status_code == 200


def test_the_programme_manager_gets_every_page(world, formed):
    client = world.client(world.pam)
    for name in ("cohort", "cohort_import", "cohort_pairs"):
        assert client.get(url(name, world.programme)).status_code == 200, name
    run = formed.runs.get()
    assert client.get(url("cohort_run_status", world.programme, run.pk)).status_code == 302


def test_before_an_import_the_cohort_page_is_the_import_page(world):
    response = world.client(world.pam).get(url("cohort", world.programme))
    assert response.templates[0].name == "formation/cohort_import.html"
    for name in ("cohort_pairs", "cohort_settings", "cohort_run", "cohort_accept"):
        assert world.client(world.pam).post(url(name, world.programme)).status_code == 404


# Query counts


@pytest.mark.parametrize("people", [20, 60])
def test_cohort_page_query_count_does_not_grow_with_people(
    world, people, django_assert_num_queries
):
    """Guards against N+1 queries on the board as a cohort gains people, sets and
    facilitators."""
    cohort = import_cohort(world.programme, world.pam, generated_rows(people, seed=3))
    assert form_sets(cohort, world.pam).status == Status.DONE
    facilitators = [make_person(f"f{k}") for k in range(8)]
    cohort.facilitators.add(*facilitators)
    for proposed, person in zip(cohort.proposed_sets.all(), facilitators, strict=False):
        proposed.facilitator = person
        proposed.save()
    client = world.client(world.pam)
    with django_assert_num_queries(13):
        response = client.get(url("cohort", world.programme))
    assert response.status_code == 200
    assert "Every rule holds" in response.content.decode()


# The demo


def test_the_demo_has_a_cohort_of_400_awaiting_formation_that_forms_holding_every_rule(db):
    from revans.site.demo import COHORT_PROGRAMME, load_demo

    load_demo()
    cohort = Cohort.objects.get(programme__name=COHORT_PROGRAMME)
    assert cohort.participants.count() == 400
    assert cohort.participants.values("organisation").distinct().count() == 60
    assert not cohort.proposed_sets.exists() and cohort.accepted_at is None
    assert cohort.participants.exclude(manager=None).exists()
    cohort.seconds = 2
    cohort.save()
    manager = cohort.programme.managers.get()
    run = form_sets(cohort, manager)
    assert run.status == Status.DONE, run.problems
    board = board_for(cohort)
    assert len(board.sets) == 57
    assert board.broken == []
    assert Membership.objects.filter(set__programme=cohort.programme).count() == 0
