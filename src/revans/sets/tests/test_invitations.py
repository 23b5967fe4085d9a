import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from revans.accounts.models import User
from revans.sets.models import Invitation, Membership, Role


def invite(world, emails="new.person@example.org", role="member", by=None):
    return world.client(by or world.fran).post(
        reverse("invitation_create", args=[world.aurora.pk]), {"emails": emails, "role": role}
    )


def link_in_last_email() -> str:
    return re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)


def test_facilitator_invites_by_email_and_the_link_is_sent(world):
    response = invite(world, "New.Person@Example.org, second@example.org")
    assert response.status_code == 302
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "new.person@example.org",
        "second@example.org",
    ]
    assert len(mail.outbox) == 2
    assert "Aurora" in mail.outbox[0].subject
    assert "choose a password" in mail.outbox[0].body


def test_only_a_hash_of_the_token_is_stored(world):
    invite(world)
    token = link_in_last_email().rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash


def test_new_person_sets_a_password_and_lands_in_the_set(world, client):
    invite(world, role="observer")
    link = link_in_last_email()
    page = client.get(link)
    assert page.status_code == 200
    assert "Create my account and join" in page.content.decode()
    response = client.post(
        link,
        {
            "display_name": "Nova Reid",
            "password1": "correct horse battery",
            "password2": "correct horse battery",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("set_detail", args=[world.aurora.pk])
    person = User.objects.get(email="new.person@example.org")
    assert Membership.objects.get(set=world.aurora, user=person).role == Role.OBSERVER
    assert EmailAddress.objects.get(user=person).verified
    assert client.get(response["Location"]).status_code == 200  # signed in
    assert Invitation.objects.get().status == "accepted"


def test_new_person_with_mismatched_or_weak_password_gets_a_message_and_no_account(world, client):
    invite(world)
    link = link_in_last_email()
    differ = client.post(
        link, {"display_name": "Nova", "password1": "correct horse battery", "password2": "other"}
    )
    assert "The two passwords differ." in differ.content.decode()
    weak = client.post(link, {"display_name": "Nova", "password1": "123", "password2": "123"})
    assert "too short" in weak.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert Invitation.objects.get().status == "pending"


def test_existing_person_is_sent_to_sign_in_then_just_joins(world, client):
    invite(world, world.nia.email)
    link = link_in_last_email()
    assert "sign in to join" in mail.outbox[-1].body
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(world.nia)
    assert client.get(link).status_code == 200
    joined = client.post(link)
    assert joined.status_code == 302
    assert Membership.objects.filter(set=world.aurora, user=world.nia, role=Role.MEMBER).exists()


def test_existing_person_can_join_from_the_dashboard(world):
    invite(world, world.nia.email)
    client = world.client(world.nia)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "You are invited to join <strong>Aurora</strong>" in dashboard
    invitation = Invitation.objects.get()
    client.post(reverse("invitation_join", args=[invitation.pk]))
    assert Membership.objects.filter(set=world.aurora, user=world.nia).exists()


def test_invitation_for_someone_else_answers_as_missing_when_signed_in(world):
    invite(world, "someone@example.org")
    link = link_in_last_email()
    client = world.client(world.nia)
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert not Membership.objects.filter(user=world.nia).exists()


def test_expired_invitation_cannot_be_used(world, client):
    invite(world)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(link_in_last_email())
    assert response.status_code == 410
    assert "has expired" in response.content.decode()


def test_revoked_invitation_cannot_be_used(world, client):
    invite(world)
    invitation = Invitation.objects.get()
    world.client(world.fran).post(
        reverse("invitation_revoke", args=[world.aurora.pk, invitation.pk])
    )
    response = client.post(
        link_in_last_email(),
        {
            "display_name": "Nova",
            "password1": "correct horse battery",
            "password2": "correct horse battery",
        },
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_used_invitation_cannot_be_used_twice(world, client):
    invite(world)
    link = link_in_last_email()
    data = {
        "display_name": "Nova",
        "password1": "correct horse battery",
        "password2": "correct horse battery",
    }
    client.post(link, data)
    client.logout()
    assert client.get(link).status_code == 410


def test_unknown_token_answers_404(client, db):
    assert client.get(reverse("invitation_accept", args=["nonsense"])).status_code == 404


def test_inviting_again_resends_instead_of_duplicating(world):
    invite(world)
    first_link = link_in_last_email()
    invite(world)
    assert Invitation.objects.count() == 1
    assert first_link != link_in_last_email()


def test_bad_addresses_and_existing_members_get_a_clear_message(world):
    bad = invite(world, "not-an-address")
    assert "is not an e-mail address" in bad.content.decode()
    already = invite(world, world.mo.email)
    assert f"Already in this set: {world.mo.email}" in already.content.decode()
    empty = invite(world, "   ")
    assert "This field is required" in empty.content.decode()
    unknown_role = invite(world, role="dictator")
    assert "Select a valid choice" in unknown_role.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_revoke_through_htmx_removes_the_row(world):
    invite(world)
    invitation = Invitation.objects.get()
    response = world.client(world.fran).post(
        reverse("invitation_revoke", args=[world.aurora.pk, invitation.pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.content == b""
    assert Invitation.objects.get().status == "revoked"


def test_invitation_of_another_set_cannot_be_revoked_through_this_one(world):
    invitation = Invitation(set=world.beacon, email="x@example.org", invited_by=world.gus)
    invitation.new_token()
    invitation.save()
    response = world.client(world.fran).post(
        reverse("invitation_revoke", args=[world.aurora.pk, invitation.pk])
    )
    assert response.status_code == 404
    assert Invitation.objects.get().status == "pending"
