"""The admin's side of the audit log: sign-ins of people who can reach the admin, failed ones,
every add, change and delete made there (by the names of the fields, never their values), and
the log itself, which only the operator reads and nobody changes."""

import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from revans.accounts.models import Organisation
from revans.audit.admin_trail import changed
from revans.audit.models import Action, AuditEvent, Via
from revans.audit.services import record
from revans.site.testing import PASSWORD, make_person


@pytest.fixture
def operator(world):
    return make_person("ops", is_staff=True, is_superuser=True, display_name="Olu Operator")


def stored(event: AuditEvent) -> str:
    """Everything the event keeps, as text."""
    return json.dumps(
        [event.actor_id, event.via, event.action, event.target_type, event.target_id, event.facts]
    )


def test_the_admins_own_sign_in_form_signs_nobody_in_and_records_nothing(client, operator):
    """Its password form knows no two-factor code: a post to it is sent to Revans' sign-in."""
    response = client.post(
        reverse("admin:login"),
        {"username": operator.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.exists()


def test_staff_signing_in_on_revans_own_page_is_recorded_too(client, operator):
    response = client.post(
        reverse("account_login"), {"login": operator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.actor_id, event.action, event.via) == (operator.pk, "admin.signin", "web")


def test_people_who_cannot_reach_the_admin_sign_in_unrecorded(client, world):
    response = client.post(reverse("account_login"), {"login": world.mo.email, "password": "wrong"})
    assert response.status_code == 200
    response = client.post(
        reverse("account_login"), {"login": world.mo.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


def test_a_failed_sign_in_for_no_staff_account_is_not_recorded(client, world):
    """Guesses at addresses fill no table (allauth limits them)."""
    client.post(reverse("account_login"), {"login": "guess@example.org", "password": "x"})
    client.post(reverse("account_login"), {"login": world.mo.email, "password": "x"})
    assert not AuditEvent.objects.exists()


def test_a_failed_sign_in_to_a_staff_account_on_revans_own_page_is_recorded(client, operator):
    client.post(reverse("account_login"), {"login": operator.email, "password": "wrong"})
    event = AuditEvent.objects.get()
    assert (event.actor_id, event.action, event.via) == (operator.pk, "admin.signin_failed", "web")
    assert operator.email not in stored(event) and "wrong" not in stored(event)


@pytest.fixture
def admin_client(client, operator):
    client.force_login(operator)  # recorded as a sign-in on Revans' pages, tested above
    return client


def admin_events(**filters):
    return AuditEvent.objects.filter(action__startswith="admin.", via=Via.ADMIN, **filters)


def test_a_change_in_the_admin_is_recorded_by_field_names_never_values(
    admin_client, world, operator
):
    url = reverse("admin:accounts_organisation_change", args=[world.council.pk])
    response = admin_client.post(url, {"name": "Merseyvale Borough Council", "sector": "health"})
    assert response.status_code == 302
    event = admin_events(action="admin.changed").get()
    assert event.actor_id == operator.pk
    assert (event.target_type, event.target_id) == ("accounts.organisation", str(world.council.pk))
    assert event.facts == {"fields": ["name", "sector"]}
    assert "Merseyvale" not in stored(event)


def test_an_addition_and_a_deletion_in_the_admin_are_recorded(admin_client, world, operator):
    response = admin_client.post(
        reverse("admin:accounts_organisation_add"), {"name": "Riverside Trust", "sector": "health"}
    )
    assert response.status_code == 302
    riverside = Organisation.objects.get(name="Riverside Trust")
    added = admin_events(action="admin.added").get()
    assert (added.target_id, added.facts) == (str(riverside.pk), {})
    url = reverse("admin:accounts_organisation_delete", args=[riverside.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    deleted = admin_events(action="admin.deleted").get()
    assert (deleted.actor_id, deleted.target) == (
        operator.pk,
        f"accounts.organisation #{riverside.pk}",
    )
    assert "Riverside" not in stored(added) + stored(deleted)


def test_deleting_many_at_once_in_the_admin_records_each(admin_client, world):
    extra = [Organisation.objects.create(name=f"Org {n}", sector="health") for n in range(3)]
    response = admin_client.post(
        reverse("admin:accounts_organisation_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [o.pk for o in extra]},
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk__in=[o.pk for o in extra]).exists()
    events = admin_events(action="admin.deleted")
    assert sorted(events.values_list("target_id", flat=True)) == sorted(str(o.pk) for o in extra)


def test_one_deletion_through_the_action_is_recorded_once(admin_client, world):
    lone = Organisation.objects.create(name="Lone Org", sector="health")
    admin_client.post(
        reverse("admin:accounts_organisation_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [lone.pk]},
    )
    assert admin_events(action="admin.deleted").get().target_id == str(lone.pk)


def test_an_inline_change_keeps_the_inline_kind_and_not_its_text(world, operator):
    message = [
        {"changed": {"fields": ["Name"]}},
        {"added": {"name": "membership", "object": "Pam Morgan in Aurora"}},
        {"changed": {"name": "membership", "object": "Mo in Aurora", "fields": ["Role"]}},
        {"deleted": {"name": "membership change", "object": "Obi left"}},
    ]
    entry = LogEntry(
        user=operator,
        content_type=ContentType.objects.get_by_natural_key("sets", "set"),
        object_id=str(world.aurora.pk),
        object_repr="Aurora",
        action_flag=CHANGE,
        change_message=json.dumps(message),
    )
    assert changed(entry) == {
        "fields": ["name"],
        "inline_added": ["membership"],
        "inline_changed": ["membership"],
        "inline_deleted": ["membership_change"],
    }


# --- reading the log -------------------------------------------------------------------


@pytest.fixture
def events(world):
    record(world.mo, Action.EXPORT, world.aurora, format="pdf")
    record(world.fran, Action.MEMBERSHIP_ROLE, world.aurora, person=world.mo.pk, role="observer")


def test_the_operator_reads_the_log_in_the_admin(admin_client, world, events):
    url = reverse("admin:audit_auditevent_changelist")
    html = admin_client.get(url).content.decode()
    assert f"Mo (#{world.mo.pk})" in html and f"Fran (#{world.fran.pk})" in html
    assert "membership.role" in html
    only = admin_client.get(url, {"action__exact": "export"}).content.decode()
    assert f"Mo (#{world.mo.pk})" in only and f"Fran (#{world.fran.pk})" not in only
    found = admin_client.get(url, {"q": str(world.fran.pk)}).content.decode()
    assert f"Fran (#{world.fran.pk})" in found and f"Mo (#{world.mo.pk})" not in found
    assert admin_client.get(url, {"q": "not a number"}).status_code == 200


def test_the_log_lists_a_page_of_events_in_a_fixed_number_of_queries(
    admin_client, world, django_assert_max_num_queries
):
    """Guards against a query per event for its actor's name."""
    for _ in range(30):
        record(world.mo, Action.EXPORT, world.aurora, format="pdf")
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 200


def test_nobody_adds_changes_or_deletes_an_event_in_the_admin(admin_client, events):
    event = AuditEvent.objects.filter(action="export").get()
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert admin_client.get(change).status_code == 200  # read only
    assert admin_client.post(change, {"action": "backup"}).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [event.pk]},
    )
    assert AuditEvent.objects.filter(pk=event.pk, action="export").exists()
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("who", ["pam", "fran", "mo", "nia"])
def test_people_in_revans_cannot_read_the_log(world, events, who):
    response = world.client(getattr(world, who)).get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_permission_to_read_it_are_refused(client, world, events):
    helper = make_person("helper", is_staff=True)
    helper.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    client.force_login(helper)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_organisation_changelist")).status_code == 200
