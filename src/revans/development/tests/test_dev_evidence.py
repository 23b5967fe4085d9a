"""Where a trainee stands: their outcomes, the evidence they attach (only their own), and a
trainer's view of one trainee with the sign-offs. Managers see sign-offs, never evidence: on a
trainee's page they get the outcomes' states only (architecture.md §4)."""

from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from revans.development import services
from revans.development.models import Evidence, Observation, Outcome, Participant, SignOff
from revans.journal.models import Entry, Log
from revans.meetings.models import Meeting
from revans.meetings.testing import make_meeting
from revans.sets.models import Membership, Role, Set


def text(response) -> str:
    return unescape(response.content.decode())


class Things:
    """tara's log (a saved entry, a draft, an entry she keeps to herself), an observation of
    her practice written by tina, and Heron, a set she facilitates with two meetings held;
    theo's own entry and observation; nia's set."""

    def __init__(self, f) -> None:
        log = Log.objects.create(owner=f.tara, title="My facilitator's log")
        self.entry = Entry.objects.create(
            log=log,
            title="Holding the silence",
            entry_date=date(2026, 10, 3),
            body="I let the **silence** run.\n\n<script>alert(1)</script>",
            draft=False,
        )
        self.draft = Entry.objects.create(log=log, title="Half a thought", body="...", draft=True)
        self.private = Entry.objects.create(
            log=log, title="About my manager", body="Not for anyone.", draft=False
        )
        self.observation = Observation.objects.create(
            meeting=f.practice,
            trainee=f.tara,
            observer=f.tina,
            went_well="You held the bidding calmly.",
            try_next="Name the process review earlier.",
        )
        Observation.objects.filter(pk=self.observation.pk).update(written_at=f.practice.starts_at)
        self.heron = Set.objects.create(name="Heron", status="active")
        Membership.objects.create(set=self.heron, user=f.tara, role=Role.FACILITATOR)
        for number in (1, 2, 3):
            make_meeting(self.heron, number=number, days=number - 10)
        Meeting.objects.filter(set=self.heron, number__lt=3).update(status=Meeting.Status.CLOSED)
        theo_log = Log.objects.create(owner=f.theo, title="Theo's log")
        self.theos_entry = Entry.objects.create(
            log=theo_log, title="Theo's entry", body="Mine.", draft=False
        )
        self.theos_observation = Observation.objects.create(
            meeting=f.practice, trainee=f.theo, observer=f.world.fran
        )
        self.nias_set = Set.objects.create(name="Nia's set")
        Membership.objects.create(set=self.nias_set, user=f.world.nia, role=Role.FACILITATOR)


@pytest.fixture
def things(facilitators) -> Things:
    return Things(facilitators)


def mine_url(f) -> str:
    return reverse("development_my_outcomes", args=[f.programme.pk])


def add_url(f, outcome) -> str:
    return reverse("development_evidence_add", args=[f.programme.pk, outcome.pk])


def trainee_url(f, user) -> str:
    return reverse("development_trainee", args=[f.programme.pk, user.pk])


def attach(f, outcome, value, note="", client=None):
    client = client or f.world.client(f.tara)
    prefix = f"o{outcome.pk}"
    return client.post(
        add_url(f, outcome), {f"{prefix}-evidence": value, f"{prefix}-note": note}, follow=True
    )


# Where a trainee stands


def test_a_trainee_sees_each_outcome_signed_off_waiting_or_not_started(facilitators, things):
    f, t = facilitators, things
    SignOff.objects.create(
        outcome=f.outcomes[0], trainee=f.tara, trainer=f.tina, note="You contracted well."
    )
    Evidence.objects.create(outcome=f.outcomes[1], trainee=f.tara, kind="entry", entry=t.entry)
    SignOff.objects.create(outcome=f.outcomes[2], trainee=f.theo, trainer=f.tina, note="Theo's")
    response = f.world.client(f.tara).get(mine_url(f))
    assert response.status_code == 200
    page = text(response)
    assert "1 of 5 outcomes signed off" in page
    assert "1 waiting for a trainer's sign-off · 3 with no evidence yet" in page
    assert "Signed off</span> by Tina on" in page and "You contracted well." in page
    assert "Waiting for sign-off" in page and "Holding the silence" in page
    assert "Nothing yet" in page
    assert "Theo's" not in page  # another trainee's sign-off
    # Her own things are offered; a draft and other people's things are not.
    assert (
        f'value="entry:{t.entry.pk}"' in page and f'value="observation:{t.observation.pk}"' in page
    )
    assert f'value="set:{t.heron.pk}"' in page
    assert f'value="entry:{t.draft.pk}"' not in page
    assert (
        f'value="set:{f.kestrel.pk}"' not in page
    )  # she is a member of Kestrel, not its facilitator
    assert "Theo's entry" not in page


def test_a_trainee_with_nothing_to_attach_is_told_how_to_get_some(facilitators):
    f = facilitators
    page = text(f.world.client(f.theo).get(mine_url(f)))
    assert "0 of 5 outcomes signed off" in page
    assert "save an entry in your learning log" in page


@pytest.mark.parametrize("who", ["pam", "tina", "nia", "mo"])
def test_where_i_stand_is_for_trainees_only(facilitators, who):
    f = facilitators
    person = getattr(f, who, None) or getattr(f.world, who)
    assert f.world.client(person).get(mine_url(f)).status_code == 404


def test_a_trainee_attaches_her_own_entry_observation_and_set(facilitators, things):
    f, t = facilitators, things
    page = text(attach(f, f.outcomes[0], f"entry:{t.entry.pk}", note="I held back."))
    assert "Evidence added to outcome 1." in page
    attach(f, f.outcomes[4], f"observation:{t.observation.pk}")
    attach(f, f.outcomes[1], f"set:{t.heron.pk}")
    assert set(Evidence.objects.values_list("outcome__number", "kind", "note")) == {
        (1, "entry", "I held back."),
        (5, "observation", ""),
        (2, "set", ""),
    }


@pytest.mark.parametrize(
    "thing", ["draft", "theos_entry", "theos_observation", "nias_set", "kestrel", "junk"]
)
def test_evidence_that_is_not_hers_is_refused_and_nothing_saved(facilitators, things, thing):
    f, t = facilitators, things
    value = {
        "draft": f"entry:{t.draft.pk}",
        "theos_entry": f"entry:{t.theos_entry.pk}",
        "theos_observation": f"observation:{t.theos_observation.pk}",
        "nias_set": f"set:{t.nias_set.pk}",
        "kestrel": f"set:{f.kestrel.pk}",
        "junk": "entry:x",
    }[thing]
    response = attach(f, f.outcomes[0], value, note="My best moment.")
    assert response.status_code == 200
    page = text(response)
    assert (
        "Choose one of your own saved log entries, observations of your practice or "
        "sets you facilitate." in page
    )
    assert "My best moment." in page  # the note comes back as typed
    assert not Evidence.objects.exists()


def test_no_choice_and_a_long_note_are_refused(facilitators, things):
    f, t = facilitators, things
    assert "Choose a log entry, an observation or a set." in text(attach(f, f.outcomes[0], ""))
    page = text(attach(f, f.outcomes[0], f"entry:{t.entry.pk}", note="x" * 501))
    assert "Keep the note under 500 characters." in page
    assert not Evidence.objects.exists()


def test_the_same_thing_twice_or_on_a_signed_off_outcome_is_refused(facilitators, things):
    f, t = facilitators, things
    attach(f, f.outcomes[0], f"entry:{t.entry.pk}")
    page = text(attach(f, f.outcomes[0], f"entry:{t.entry.pk}"))
    assert "That is already evidence for outcome 1." in page
    SignOff.objects.create(outcome=f.outcomes[1], trainee=f.tara, trainer=f.tina, note="Met.")
    page = text(attach(f, f.outcomes[1], f"entry:{t.entry.pk}"))
    assert "Outcome 2 is signed off already" in page
    assert Evidence.objects.count() == 1


def test_the_service_refuses_another_persons_things_whoever_calls_it(facilitators, things):
    f, t = facilitators, things
    for kind, pk in (
        ("entry", t.theos_entry.pk),
        ("entry", t.draft.pk),
        ("observation", t.theos_observation.pk),
        ("set", t.nias_set.pk),
        ("set", f.kestrel.pk),
        ("dance", t.entry.pk),
    ):
        with pytest.raises(ValidationError):
            services.do_add_evidence(f.outcomes[0], f.tara, kind, pk)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("who", ["tina", "pam", "nia"])
def test_only_trainees_attach_evidence(facilitators, things, who):
    f = facilitators
    person = getattr(f, who, None) or getattr(f.world, who)
    response = f.world.client(person).post(
        add_url(f, f.outcomes[0]), {f"o{f.outcomes[0].pk}-evidence": f"set:{f.kestrel.pk}"}
    )
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_an_outcome_of_another_programme_is_not_found(facilitators, things):
    f = facilitators
    other = Outcome.objects.create(programme=f.world.programme, number=1, text="Elsewhere")
    response = f.world.client(f.tara).post(add_url(f, other), {f"o{other.pk}-evidence": "x"})
    assert response.status_code == 404


def test_a_trainee_removes_evidence_until_the_outcome_is_signed_off(facilitators, things):
    f, t = facilitators, things
    first = Evidence.objects.create(
        outcome=f.outcomes[0], trainee=f.tara, kind="entry", entry=t.entry
    )
    kept = Evidence.objects.create(outcome=f.outcomes[1], trainee=f.tara, kind="set", set=t.heron)
    SignOff.objects.create(outcome=f.outcomes[1], trainee=f.tara, trainer=f.tina, note="Met.")
    client = f.world.client(f.tara)
    remove = "development_evidence_remove"
    page = text(client.post(reverse(remove, args=[f.programme.pk, first.pk]), follow=True))
    assert "Evidence taken off outcome 1." in page
    page = text(client.post(reverse(remove, args=[f.programme.pk, kept.pk]), follow=True))
    assert "This outcome is signed off, so its evidence stays" in page
    assert list(Evidence.objects.all()) == [kept]


@pytest.mark.parametrize("who", ["theo", "tina", "pam"])
def test_nobody_else_removes_a_trainees_evidence(facilitators, things, who):
    f, t = facilitators, things
    evidence = Evidence.objects.create(
        outcome=f.outcomes[0], trainee=f.tara, kind="entry", entry=t.entry
    )
    person = getattr(f, who, None) or getattr(f.world, who)
    url = reverse("development_evidence_remove", args=[f.programme.pk, evidence.pk])
    assert f.world.client(person).post(url).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# A trainer's view of one trainee


def attach_all(f, t) -> None:
    Evidence.objects.create(
        outcome=f.outcomes[0], trainee=f.tara, kind="entry", entry=t.entry, note="See the end."
    )
    Evidence.objects.create(
        outcome=f.outcomes[4], trainee=f.tara, kind="observation", observation=t.observation
    )
    Evidence.objects.create(outcome=f.outcomes[1], trainee=f.tara, kind="set", set=t.heron)


def test_a_trainer_reads_the_evidence_in_full_and_nothing_else_of_the_log(facilitators, things):
    f, t = facilitators, things
    attach_all(f, t)
    response = f.world.client(f.tina).get(trainee_url(f, f.tara))
    assert response.status_code == 200
    html = response.content.decode()
    page = text(response)
    assert "Holding the silence" in page and "3 October 2026" in page
    assert "I let the <strong>silence</strong> run." in html  # rendered as the journal renders it
    assert "<script>" not in html.split("</header>")[1]
    assert "See the end." in page
    assert "You held the bidding calmly." in page and "Name the process review earlier." in page
    assert "Heron" in page and "2 meetings held" in page
    assert "About my manager" not in page and "Not for anyone." not in page
    assert "Half a thought" not in page
    assert page.count("Sign off outcome") == 5


def test_a_manager_sees_the_sign_offs_but_not_the_evidence(facilitators, things):
    f, t = facilitators, things
    attach_all(f, t)
    SignOff.objects.create(outcome=f.outcomes[0], trainee=f.tara, trainer=f.tina, note="Clear.")
    response = f.world.client(f.world.pam).get(trainee_url(f, f.tara))
    assert response.status_code == 200
    page = text(response)
    assert "1 of 5 outcomes signed off" in page and "Signed off</span> by Tina" in page
    assert "Clear." in page
    for secret in ("Holding the silence", "silence", "See the end.", "held the bidding", "Heron"):
        assert secret not in page
    assert "Waiting for sign-off" not in page  # not even that there is evidence
    assert "Sign off outcome" not in page


@pytest.mark.parametrize("who", ["tara", "theo", "nia", "mo", "fran"])
def test_trainees_and_outsiders_get_404_on_a_trainees_page(facilitators, things, who):
    f = facilitators
    person = getattr(f, who, None) or getattr(f.world, who)
    assert f.world.client(person).get(trainee_url(f, f.tara)).status_code == 404


@pytest.mark.parametrize("who", ["tina", "nia", "pam"])
def test_someone_who_is_not_a_trainee_has_no_trainee_page(facilitators, who):
    f = facilitators
    person = getattr(f, who, None) or getattr(f.world, who)
    assert f.world.client(f.tina).get(trainee_url(f, person)).status_code == 404


def test_the_trainers_view_reads_the_same_number_of_queries_however_much_evidence(
    facilitators, things
):
    """Guards against N+1: the evidence, its entries, observations and sets are read at once."""
    f, t = facilitators, things
    client = f.world.client(f.tina)
    attach_all(f, t)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(trainee_url(f, f.tara)).status_code == 200
        return len(queries)

    small = count()
    log = t.entry.log
    for k in range(5):
        entry = Entry.objects.create(log=log, title=f"More {k}", body="*more*", draft=False)
        Evidence.objects.create(outcome=f.outcomes[k], trainee=f.tara, kind="entry", entry=entry)
        extra = Set.objects.create(name=f"Set {k}")
        Membership.objects.create(set=extra, user=f.tara, role=Role.FACILITATOR)
        make_meeting(extra, days=-1)
        Evidence.objects.create(outcome=f.outcomes[k], trainee=f.tara, kind="set", set=extra)
    assert count() == small == 10


# Signing off


def sign(f, outcome, note="Shown in her log and in Heron.", client=None, trainee=None):
    client = client or f.world.client(f.tina)
    url = reverse("development_sign_off", args=[f.programme.pk, (trainee or f.tara).pk, outcome.pk])
    return client.post(url, {f"o{outcome.pk}-note": note}, follow=True)


def test_a_trainer_signs_an_outcome_off_once_with_a_note(facilitators, things):
    f = facilitators
    page = text(sign(f, f.outcomes[2]))
    assert "Outcome 3 signed off for Tara." in page
    signed = SignOff.objects.get()
    assert (signed.outcome, signed.trainee, signed.trainer) == (f.outcomes[2], f.tara, f.tina)
    assert signed.note == "Shown in her log and in Heron."
    second_trainer = Participant.objects.create(
        programme=f.programme, user=f.world.gus, role=Participant.Role.TRAINER
    )
    page = text(sign(f, f.outcomes[2], client=f.world.client(second_trainer.user)))
    assert "Outcome 3 is already signed off by Tina on" in page
    assert SignOff.objects.count() == 1
    mine = text(f.world.client(f.tara).get(mine_url(f)))
    assert "Shown in her log and in Heron." in mine and "1 of 5 outcomes signed off" in mine


@pytest.mark.parametrize("note", ["", "   ", "x" * 2001])
def test_a_sign_off_needs_a_note_of_reasonable_length(facilitators, note):
    f = facilitators
    response = sign(f, f.outcomes[0], note=note)
    assert response.status_code == 200
    page = text(response)
    if note.strip():
        assert "Keep the note under 2000 characters." in page and note in page  # kept as typed
    else:
        assert "Write a note saying how the trainee met the outcome." in page
    assert page.count("Sign off outcome") == 5
    assert not SignOff.objects.exists()


@pytest.mark.parametrize("who", ["tara", "theo", "pam", "nia", "fran"])
def test_only_trainers_of_the_programme_sign_off(facilitators, who):
    f = facilitators
    person = getattr(f, who, None) or getattr(f.world, who)
    response = sign(f, f.outcomes[0], client=f.world.client(person))
    assert response.status_code == 404
    assert not SignOff.objects.exists()


@pytest.mark.parametrize("who", ["tina", "nia"])
def test_signing_off_someone_who_is_not_a_trainee_answers_404(facilitators, who):
    f = facilitators
    person = getattr(f, who, None) or getattr(f.world, who)
    assert sign(f, f.outcomes[0], trainee=person).status_code == 404
    assert not SignOff.objects.exists()


def test_signing_off_an_outcome_of_another_programme_answers_404(facilitators):
    f = facilitators
    other = Outcome.objects.create(programme=f.world.programme, number=1, text="Elsewhere")
    assert sign(f, other).status_code == 404


def test_an_entry_turned_back_into_a_draft_is_out_of_the_trainers_sight(facilitators, things):
    f, t = facilitators, things
    Evidence.objects.create(outcome=f.outcomes[0], trainee=f.tara, kind="entry", entry=t.entry)
    Entry.objects.filter(pk=t.entry.pk).update(draft=True)
    page = text(f.world.client(f.tina).get(trainee_url(f, f.tara)))
    assert "Holding the silence" not in page and "silence" not in page
    assert "Holding the silence" in text(f.world.client(f.tara).get(mine_url(f)))
