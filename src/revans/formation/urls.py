from django.urls import path

from . import views, views_board

# The paths stay under the programme's: a cohort is one programme's, seen by its managers only.
urlpatterns = [
    path("programmes/<int:programme_id>/cohort/", views.cohort_page, name="cohort"),
    path(
        "programmes/<int:programme_id>/cohort/import/",
        views.cohort_import,
        name="cohort_import",
    ),
    path(
        "programmes/<int:programme_id>/cohort/import/confirm/",
        views.cohort_import_confirm,
        name="cohort_import_confirm",
    ),
    path(
        "programmes/<int:programme_id>/cohort/settings/",
        views.cohort_settings,
        name="cohort_settings",
    ),
    path("programmes/<int:programme_id>/cohort/pairs/", views.cohort_pairs, name="cohort_pairs"),
    path(
        "programmes/<int:programme_id>/cohort/pairs/remove/",
        views.cohort_pair_remove,
        name="cohort_pair_remove",
    ),
    path("programmes/<int:programme_id>/cohort/run/", views_board.cohort_run, name="cohort_run"),
    path(
        "programmes/<int:programme_id>/cohort/runs/<int:run_id>/",
        views_board.cohort_run_status,
        name="cohort_run_status",
    ),
    path(
        "programmes/<int:programme_id>/cohort/runs/<int:run_id>/cancel/",
        views_board.cohort_run_cancel,
        name="cohort_run_cancel",
    ),
    path("programmes/<int:programme_id>/cohort/move/", views_board.cohort_move, name="cohort_move"),
    path("programmes/<int:programme_id>/cohort/lock/", views_board.cohort_lock, name="cohort_lock"),
    path(
        "programmes/<int:programme_id>/cohort/facilitator/",
        views_board.cohort_facilitator,
        name="cohort_facilitator",
    ),
    path(
        "programmes/<int:programme_id>/cohort/facilitators/suggest/",
        views_board.cohort_facilitators_suggest,
        name="cohort_facilitators_suggest",
    ),
    path("programmes/<int:programme_id>/cohort/pool/", views_board.cohort_pool, name="cohort_pool"),
    path(
        "programmes/<int:programme_id>/cohort/sets.csv",
        views_board.cohort_export,
        name="cohort_export",
    ),
    path(
        "programmes/<int:programme_id>/cohort/accept/",
        views_board.cohort_accept,
        name="cohort_accept",
    ),
]
