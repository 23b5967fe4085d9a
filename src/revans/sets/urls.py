from django.urls import include, path

from . import views, views_expectations, views_members

# Under /sets/<set_id>/: the set, its people, ground rules, issues and expectations.
set_patterns = [
    path("", views.set_detail, name="set_detail"),
    path("edit/", views.set_edit, name="set_edit"),
    path("members/", views_members.set_members, name="set_members"),
    path(
        "members/<int:membership_id>/role/", views_members.membership_role, name="membership_role"
    ),
    path(
        "members/<int:membership_id>/remove/",
        views_members.membership_remove,
        name="membership_remove",
    ),
    path("invitations/", views_members.invitation_create, name="invitation_create"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views_members.invitation_revoke,
        name="invitation_revoke",
    ),
    path("ground-rules/", views.ground_rules, name="ground_rules"),
    path("ground-rules/edit/", views.ground_rules_edit, name="ground_rules_edit"),
    path("ground-rules/agree/", views.ground_rules_agree, name="ground_rules_agree"),
    path("issues/new/", views.issue_create, name="issue_create"),
    path("issues/<int:issue_id>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:issue_id>/edit/", views.issue_edit, name="issue_edit"),
    path("expectations/", views_expectations.expectations, name="expectations"),
    path("expectations/all/", views_expectations.expectations_list, name="expectations_list"),
]

# An invitation, opened from its e-mailed link or joined by the invited person.
invitation_patterns = [
    path("<int:invitation_id>/join/", views_members.invitation_join, name="invitation_join"),
    path("<str:token>/", views_members.invitation_accept, name="invitation_accept"),
]

urlpatterns = [
    path("sets/new/", views.set_create, name="set_create"),
    path("sets/<int:set_id>/", include(set_patterns)),
    path("invitations/", include(invitation_patterns)),
]
