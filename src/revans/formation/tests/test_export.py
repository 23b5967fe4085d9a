"""The proposed sets as CSV, and facilitators dropped by a re-run that puts a colleague in
their set."""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

from django.urls import reverse

from revans.formation import runs
from revans.formation.board import board_for
from revans.formation.models import Participant
from revans.formation.runs import launch as real_launch  # before the tests patch it

from .conftest import form_sets


def export(world, user):
    return world.client(user).get(reverse("cohort_export", args=[world.programme.pk]))


def test_the_proposal_downloads_as_csv_with_every_person_once(world, formed):
    response = export(world, world.pam)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="leading-change-proposed-sets.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == formed.participants.count() == len({r["email"] for r in rows})
    where = {
        p.email: str(p.proposed_set) for p in formed.participants.select_related("proposed_set")
    }
    assert all(where[r["email"]] == r["proposed_set"] for r in rows)


def test_a_cell_that_looks_like_a_formula_is_kept_as_text(world, formed):
    person = formed.participants.first()
    person.name = '=HYPERLINK("http://evil.example")'
    person.save()
    rows = list(csv.DictReader(io.StringIO(export(world, world.pam).content.decode("utf-8-sig"))))
    assert next(r for r in rows if r["email"] == person.email)["name"].startswith("'=")


def test_formulas_hidden_behind_spaces_separators_or_full_width_signs_are_kept_as_text(
    world, formed
):
    people = list(formed.participants.all()[:3])
    for person, name in zip(people, (";=1+1", "＝1+1", " =cmd"), strict=True):
        person.name = name
        person.save()
    rows = list(csv.DictReader(io.StringIO(export(world, world.pam).content.decode("utf-8-sig"))))
    names = {r["email"]: r["name"] for r in rows}
    assert [names[p.email] for p in people] == ["';=1+1", "'＝1+1", "' =cmd"]


def test_nothing_to_export_before_the_sets_are_formed(world, cohort):
    assert export(world, world.pam).status_code == 404


def test_only_the_programmes_managers_may_export(world, formed):
    for person in (world.fran, world.mo, world.obi, world.oli, world.nia):
        assert export(world, person).status_code == 404
    anonymous = export(world, None)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_rerun_drops_a_facilitator_whose_set_now_holds_a_colleague(world, formed):
    board = board_for(formed)
    first = board.sets[0]
    colleague = first.members[0]
    world.fran.organisation = colleague.organisation
    world.fran.save()
    formed.facilitators.add(world.fran)
    proposed = first.proposed
    proposed.facilitator = world.fran  # given by hand before fran's organisation was known
    proposed.save()
    Participant.objects.filter(pk=colleague.pk).update(locked=True)  # keeps the colleague there
    form_sets(formed, world.pam, seed=9)
    proposed.refresh_from_db()
    assert proposed.facilitator is None


def test_a_rerun_keeps_a_facilitator_whose_set_has_no_colleague(world, formed):
    proposed = board_for(formed).sets[0].proposed
    world.fran.organisation = None
    world.fran.save()
    proposed.facilitator = world.fran
    proposed.save()
    form_sets(formed, world.pam, seed=9)
    proposed.refresh_from_db()
    assert proposed.facilitator == world.fran


class _Thread:
    started: list = []

    def __init__(self, target, args, daemon):
        self.call = (target, args, daemon)

    def start(self):
        self.started.append(self.call)


def test_a_run_goes_to_the_worker_when_tasks_are_queued_in_the_database(monkeypatch, settings):
    queued = []
    monkeypatch.setattr(runs, "form_sets", SimpleNamespace(enqueue=queued.append))
    monkeypatch.setattr(runs.threading, "Thread", _Thread)
    _Thread.started = []
    settings.TASKS_BACKEND = "database"
    real_launch(7)
    assert queued == [7] and _Thread.started == []
    settings.TASKS_BACKEND = "immediate"
    real_launch(8)
    assert queued == [7]
    assert _Thread.started == [(runs._in_thread, (8,), True)]


def test_a_facilitator_with_a_colleague_in_the_set_hides_the_accept_button(world, formed):
    board = board_for(formed)
    first = board.sets[0]
    world.fran.organisation = first.members[0].organisation
    world.fran.save()
    proposed = first.proposed
    proposed.facilitator = world.fran
    proposed.save()
    html = world.client(world.pam).get(reverse("cohort", args=[world.programme.pk])).content
    html = html.decode()
    assert "Mend the broken rules first" in html
    assert "Accept and create" not in html


def test_a_run_queued_for_the_worker_queues_the_checks_that_fail_it_if_it_dies(
    world, cohort, monkeypatch
):
    checks = []

    class Deferred:
        def using(self, run_after):
            return SimpleNamespace(enqueue=lambda cohort_id: checks.append((run_after, cohort_id)))

    monkeypatch.setattr(runs, "default_task_backend", SimpleNamespace(supports_defer=True))
    monkeypatch.setattr(runs, "fail_stalled", Deferred())
    run = runs.FormationRun.objects.create(cohort=cohort, seconds=10)
    runs._queue_stalled_check(run)
    after = sorted(when - run.created_at for when, _ in checks)
    assert [cohort_id for _, cohort_id in checks] == [cohort.pk, cohort.pk]
    assert after[0] > runs.STALLED_AFTER + timedelta(seconds=10)  # past the run's time
    assert after[1] > runs.QUEUED_FOR_AT_MOST  # past the wait for a worker


def test_each_row_says_whether_its_set_is_in_company(world, formed):
    from revans.formation.models import ProposedSet

    first = ProposedSet.objects.filter(cohort=formed).first()
    first.organisation = world.council
    first.save()
    rows = list(csv.DictReader(io.StringIO(export(world, world.pam).content.decode("utf-8-sig"))))
    marks = {r["proposed_set"]: r["in_company"] for r in rows}
    assert marks.pop(str(first)) == "Merseyvale Council"
    assert set(marks.values()) == {""}
