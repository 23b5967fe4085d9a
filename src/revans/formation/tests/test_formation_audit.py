"""Forming sets in the audit log: the proposed sets' file downloaded, and every membership that
accepting the proposal makes (one event each, as for a membership made by hand)."""

from django.urls import reverse

from revans.accounts.models import User
from revans.audit.models import AuditEvent
from revans.formation.board import board_for
from revans.sets.models import MembershipChange


def test_downloading_the_proposed_sets_is_recorded(world, formed):
    response = world.client(world.pam).get(reverse("cohort_export", args=[world.programme.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert (event.actor_id, event.action, event.target) == (
        world.pam.pk,
        "export",
        f"formation.cohort #{formed.pk}",
    )
    assert event.facts == {"format": "csv", "what": "proposed_sets"}


def test_a_refused_download_of_the_proposed_sets_is_not_recorded(world, formed):
    response = world.client(world.mo).get(reverse("cohort_export", args=[world.programme.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


def test_accepting_the_proposal_records_each_membership_it_makes(world, formed):
    people = list(formed.participants.order_by("row"))[:4]
    for p in people:
        User.objects.create_user(email=p.email, password="a-long-test-password")
    board = board_for(formed)
    board.sets[0].proposed.facilitator = world.fran
    board.sets[0].proposed.save()
    response = world.client(world.pam).post(reverse("cohort_accept", args=[world.programme.pk]))
    assert response.status_code == 302
    changes = MembershipChange.objects.filter(how="formation")
    events = AuditEvent.objects.filter(action="membership.joined")
    assert changes.count() == events.count() == 5  # four members and fran
    assert {e.actor_id for e in events} == {world.pam.pk}
    assert sorted((e.target_id, e.facts["person"], e.facts["role"]) for e in events) == sorted(
        (str(c.set_id), c.person_id, c.role) for c in changes
    )
    assert {e.facts["how"] for e in events} == {"formation"}
