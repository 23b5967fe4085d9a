from django.urls import path

from . import views

urlpatterns = [
    path("sets/new/", views.set_create, name="set_create"),
    path("sets/<int:set_id>/", views.set_detail, name="set_detail"),
    path("sets/<int:set_id>/edit/", views.set_edit, name="set_edit"),
    path("sets/<int:set_id>/members/", views.set_members, name="set_members"),
    path("sets/<int:set_id>/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "sets/<int:set_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "sets/<int:set_id>/members/<int:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "sets/<int:set_id>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("sets/<int:set_id>/ground-rules/", views.ground_rules, name="ground_rules"),
    path("sets/<int:set_id>/ground-rules/edit/", views.ground_rules_edit, name="ground_rules_edit"),
    path(
        "sets/<int:set_id>/ground-rules/agree/", views.ground_rules_agree, name="ground_rules_agree"
    ),
    path("sets/<int:set_id>/issues/new/", views.issue_create, name="issue_create"),
    path("sets/<int:set_id>/issues/<int:issue_id>/edit/", views.issue_edit, name="issue_edit"),
    path("invitations/<int:invitation_id>/join/", views.invitation_join, name="invitation_join"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
