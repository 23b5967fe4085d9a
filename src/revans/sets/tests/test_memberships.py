from django.urls import reverse

from revans.sets.models import Membership, Role


def change_role(world, membership, role, by=None, **kwargs):
    return world.client(by or world.fran).post(
        reverse("membership_role", args=[membership.set_id, membership.pk]),
        {"role": role},
        **kwargs,
    )


def test_facilitator_changes_a_members_role(world):
    response = change_role(world, world.mo_in_aurora, "observer")
    assert response.status_code == 302
    world.mo_in_aurora.refresh_from_db()
    assert world.mo_in_aurora.role == Role.OBSERVER


def test_role_change_through_htmx_returns_the_row(world):
    response = change_role(world, world.mo_in_aurora, "facilitator", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="membership-{world.mo_in_aurora.pk}"' in response.content.decode()


def test_unknown_role_is_refused_with_a_message(world):
    response = change_role(world, world.mo_in_aurora, "king", follow=True)
    assert "Choose facilitator, member or observer." in response.content.decode()
    world.mo_in_aurora.refresh_from_db()
    assert world.mo_in_aurora.role == Role.MEMBER


def test_the_only_facilitator_cannot_step_down(world):
    response = change_role(world, world.fran_in_aurora, "member", follow=True)
    assert "only facilitator" in response.content.decode()
    world.fran_in_aurora.refresh_from_db()
    assert world.fran_in_aurora.role == Role.FACILITATOR


def test_the_only_facilitator_cannot_be_removed_unless_self_facilitated(world):
    url = reverse("membership_remove", args=[world.aurora.pk, world.fran_in_aurora.pk])
    world.client(world.pam).post(url)
    assert Membership.objects.filter(pk=world.fran_in_aurora.pk).exists()
    world.aurora.self_facilitated = True
    world.aurora.save()
    world.client(world.pam).post(url)
    assert not Membership.objects.filter(pk=world.fran_in_aurora.pk).exists()


def test_programme_manager_removes_a_member(world):
    response = world.client(world.pam).post(
        reverse("membership_remove", args=[world.aurora.pk, world.mo_in_aurora.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=world.mo_in_aurora.pk).exists()
    assert (
        world.client(world.mo).get(reverse("set_detail", args=[world.aurora.pk])).status_code == 404
    )


def test_membership_of_another_set_cannot_be_changed_through_this_one(world):
    oli_in_beacon = Membership.objects.get(user=world.oli)
    response = world.client(world.fran).post(
        reverse("membership_role", args=[world.aurora.pk, oli_in_beacon.pk]), {"role": "observer"}
    )
    assert response.status_code == 404
    oli_in_beacon.refresh_from_db()
    assert oli_in_beacon.role == Role.MEMBER


def test_in_a_self_facilitated_set_members_manage_membership(world):
    world.aurora.self_facilitated = True
    world.aurora.save()
    assert (
        world.client(world.mo).get(reverse("set_members", args=[world.aurora.pk])).status_code
        == 200
    )
    assert (
        world.client(world.obi).get(reverse("set_members", args=[world.aurora.pk])).status_code
        == 404
    )


def test_members_page_lists_people_and_pending_invitations(world):
    world.client(world.fran).post(
        reverse("invitation_create", args=[world.aurora.pk]),
        {"emails": "waiting@example.org", "role": "member"},
    )
    html = (
        world.client(world.fran)
        .get(reverse("set_members", args=[world.aurora.pk]))
        .content.decode()
    )
    assert "waiting@example.org" in html
    assert world.mo.email in html


def test_remove_through_htmx_empties_the_row(world):
    response = world.client(world.fran).post(
        reverse("membership_remove", args=[world.aurora.pk, world.mo_in_aurora.pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.content == b""
    assert not Membership.objects.filter(pk=world.mo_in_aurora.pk).exists()


def test_refused_remove_through_htmx_shows_the_reason_in_the_row(world):
    response = world.client(world.pam).post(
        reverse("membership_remove", args=[world.aurora.pk, world.fran_in_aurora.pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "only facilitator" in response.content.decode()
    assert Membership.objects.filter(pk=world.fran_in_aurora.pk).exists()


def test_facilitator_who_leaves_goes_back_to_the_dashboard(world):
    world.mo_in_aurora.role = Role.FACILITATOR
    world.mo_in_aurora.save()
    url = reverse("membership_remove", args=[world.aurora.pk, world.fran_in_aurora.pk])
    response = world.client(world.fran).post(url, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("dashboard")
    assert not Membership.objects.filter(pk=world.fran_in_aurora.pk).exists()


def test_refused_role_change_through_htmx_is_swapped_in_with_its_reason(world):
    response = change_role(world, world.fran_in_aurora, "member", headers={"HX-Request": "true"})
    # htmx swaps only 2xx answers, so the row with its message comes back as 200.
    assert response.status_code == 200
    assert "only facilitator" in response.content.decode()
