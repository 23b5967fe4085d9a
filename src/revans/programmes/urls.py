from django.urls import include, path

from . import views, views_joining

# Under /programmes/<programme_id>/: the programme's page, its people, its settings and its
# open sets.
programme_patterns = [
    path("", views.programme_detail, name="programme_detail"),
    path("people/", views.programme_people, name="programme_people"),
    path("edit/", views.programme_edit, name="programme_edit"),
    # Joining open sets: who sees them and who answers is decided in access.py.
    path("open-sets/", views_joining.open_sets, name="programme_open_sets"),
    path(
        "open-sets/<int:set_id>/join/",
        views_joining.join_request_create,
        name="join_request_create",
    ),
    path("open-sets/<int:set_id>/opening/", views_joining.set_opening, name="set_opening"),
    path("join-requests/", views_joining.join_requests, name="join_requests"),
    path(
        "join-requests/<int:request_id>/",
        views_joining.join_request_decide,
        name="join_request_decide",
    ),
]

urlpatterns = [
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:programme_id>/", include(programme_patterns)),
]
