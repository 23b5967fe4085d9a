"""Nobody joins a set's content by their own hand (architecture.md §4): a programme manager becomes a
reader only when a facilitator of the set invites them by name, and every change of membership
is recorded and shown to the set's facilitators."""

import re

from django.core import mail
from django.urls import reverse

from revans.sets.models import Invitation, Membership, MembershipChange, Role
from revans.sets.services import do_invite


def invite(world, by, emails, role="observer"):
    return world.client(by).post(
        reverse("invitation_create", args=[world.aurora.pk]), {"emails": emails, "role": role}
    )


def link_in_last_email() -> str:
    return re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)


def test_manager_cannot_invite_herself_and_nothing_is_sent(world):
    response = invite(world, world.pam, "pam@example.org")
    assert response.status_code == 400
    assert "cannot invite yourself" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_manager_cannot_invite_another_manager_of_the_programme(world):
    from revans.site.testing import make_person

    colleague = make_person("paula")
    world.programme.managers.add(colleague)
    response = invite(world, world.pam, "new@example.org, Paula@Example.org")
    assert response.status_code == 400
    assert "joins a set only when one of its facilitators invites them" in (
        response.content.decode()
    )
    assert not Invitation.objects.exists()  # nothing half-done: not even the first address


def test_manager_cannot_use_an_invitation_a_manager_made(world, client):
    # Made before the rule, or by a route that skipped the form: joining still refuses it.
    invitation = Invitation(set=world.aurora, email="pam@example.org", role=Role.OBSERVER)
    invitation.invited_by = world.pam
    invitation.new_token()
    invitation.save()
    response = world.client(world.pam).post(reverse("invitation_join", args=[invitation.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(set=world.aurora, user=world.pam).exists()
    assert (
        world.client(world.pam).get(reverse("ground_rules", args=[world.aurora.pk])).status_code
        == 404
    )
    assert (
        world.client(world.pam).get(reverse("set_questioning", args=[world.aurora.pk])).status_code
        == 404
    )


def test_facilitator_may_invite_the_manager_by_name_and_it_is_recorded(world):
    assert invite(world, world.fran, "pam@example.org").status_code == 302
    invitation = Invitation.objects.get()
    response = world.client(world.pam).post(reverse("invitation_join", args=[invitation.pk]))
    assert response.status_code == 302
    assert Membership.objects.get(set=world.aurora, user=world.pam).role == Role.OBSERVER
    change = MembershipChange.objects.get(set=world.aurora)
    assert change.sentence.startswith("Pam joined as observer on ")
    assert change.sentence.endswith("invited by Fran")
    page = world.client(world.fran).get(reverse("set_members", args=[world.aurora.pk]))
    assert change.sentence in page.content.decode()


def test_a_manager_invitation_to_someone_else_still_works(world, client):
    assert invite(world, world.pam, "new.person@example.org", role="member").status_code == 302
    assert Invitation.objects.get().email == "new.person@example.org"


def test_do_invite_refuses_a_self_invitation_whatever_the_caller(world):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        do_invite(world.aurora, ["pam@example.org"], Role.OBSERVER, world.pam, lambda t: t)


def test_removal_and_role_changes_are_recorded_with_who_did_them(world):
    fran = world.client(world.fran)
    fran.post(
        reverse("membership_role", args=[world.aurora.pk, world.obi_in_aurora.pk]),
        {"role": "member"},
    )
    fran.post(reverse("membership_remove", args=[world.aurora.pk, world.mo_in_aurora.pk]))
    sentences = [c.sentence for c in MembershipChange.objects.filter(set=world.aurora)]
    assert any(
        s.startswith("Mo was removed (was member)") and s.endswith("by Fran") for s in sentences
    )
    assert any(s.startswith("Obi changed from observer to member") for s in sentences)


def test_leaving_is_recorded_as_leaving(world):
    # Fran adds a second facilitator so that she may leave herself.
    world.client(world.fran).post(
        reverse("membership_role", args=[world.aurora.pk, world.mo_in_aurora.pk]),
        {"role": "facilitator"},
    )
    world.client(world.fran).post(
        reverse("membership_remove", args=[world.aurora.pk, world.fran_in_aurora.pk])
    )
    assert MembershipChange.objects.filter(kind="left", person=world.fran).exists()


def test_the_record_outlives_the_person_account(world):
    world.client(world.fran).post(
        reverse("membership_remove", args=[world.aurora.pk, world.mo_in_aurora.pk])
    )
    world.mo.delete()
    change = MembershipChange.objects.get(kind="removed")
    assert change.person is None and change.sentence.startswith("Mo was removed")


def test_members_and_outsiders_do_not_see_the_record(world):
    for person in (world.mo, world.obi, world.nia, world.oli):
        page = world.client(person).get(reverse("set_members", args=[world.aurora.pk]))
        assert page.status_code == 404


def test_another_persons_invitation_link_answers_as_a_missing_one(world):
    invite(world, world.fran, "new.person@example.org")
    link = link_in_last_email()
    for person in (world.nia, world.pam, world.mo):
        response = world.client(person).get(link)
        assert response.status_code == 404
        assert "Aurora" not in response.content.decode()
        assert "The link is not valid" in response.content.decode()
    missing = world.client(world.nia).get(reverse("invitation_accept", args=["nothing-here"]))
    assert missing.status_code == 404
