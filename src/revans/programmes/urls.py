from django.urls import path

from . import views
from . import views_formation as formation

urlpatterns = [
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:programme_id>/people/", views.programme_people, name="programme_people"),
    path("programmes/<int:programme_id>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:programme_id>/cohort/", formation.cohort_page, name="cohort"),
    path(
        "programmes/<int:programme_id>/cohort/import/",
        formation.cohort_import,
        name="cohort_import",
    ),
    path(
        "programmes/<int:programme_id>/cohort/import/confirm/",
        formation.cohort_import_confirm,
        name="cohort_import_confirm",
    ),
    path(
        "programmes/<int:programme_id>/cohort/settings/",
        formation.cohort_settings,
        name="cohort_settings",
    ),
    path(
        "programmes/<int:programme_id>/cohort/pairs/", formation.cohort_pairs, name="cohort_pairs"
    ),
    path(
        "programmes/<int:programme_id>/cohort/pairs/remove/",
        formation.cohort_pair_remove,
        name="cohort_pair_remove",
    ),
    path("programmes/<int:programme_id>/cohort/run/", formation.cohort_run, name="cohort_run"),
    path(
        "programmes/<int:programme_id>/cohort/runs/<int:run_id>/",
        formation.cohort_run_status,
        name="cohort_run_status",
    ),
    path(
        "programmes/<int:programme_id>/cohort/runs/<int:run_id>/cancel/",
        formation.cohort_run_cancel,
        name="cohort_run_cancel",
    ),
    path("programmes/<int:programme_id>/cohort/move/", formation.cohort_move, name="cohort_move"),
    path("programmes/<int:programme_id>/cohort/lock/", formation.cohort_lock, name="cohort_lock"),
    path(
        "programmes/<int:programme_id>/cohort/facilitator/",
        formation.cohort_facilitator,
        name="cohort_facilitator",
    ),
    path(
        "programmes/<int:programme_id>/cohort/facilitators/suggest/",
        formation.cohort_facilitators_suggest,
        name="cohort_facilitators_suggest",
    ),
    path("programmes/<int:programme_id>/cohort/pool/", formation.cohort_pool, name="cohort_pool"),
    path(
        "programmes/<int:programme_id>/cohort/sets.csv",
        formation.cohort_export,
        name="cohort_export",
    ),
    path(
        "programmes/<int:programme_id>/cohort/accept/",
        formation.cohort_accept,
        name="cohort_accept",
    ),
]
