from django.urls import include, path

from . import views, views_board

# Under /programmes/<programme_id>/cohort/: a cohort is one programme's, for its managers only.
cohort_patterns = [
    path("", views.cohort_page, name="cohort"),
    path("import/", views.cohort_import, name="cohort_import"),
    path("import/confirm/", views.cohort_import_confirm, name="cohort_import_confirm"),
    path("settings/", views.cohort_settings, name="cohort_settings"),
    path("pairs/", views.cohort_pairs, name="cohort_pairs"),
    path("pairs/remove/", views.cohort_pair_remove, name="cohort_pair_remove"),
    path("run/", views_board.cohort_run, name="cohort_run"),
    path("runs/<int:run_id>/", views_board.cohort_run_status, name="cohort_run_status"),
    path("runs/<int:run_id>/cancel/", views_board.cohort_run_cancel, name="cohort_run_cancel"),
    path("move/", views_board.cohort_move, name="cohort_move"),
    path("lock/", views_board.cohort_lock, name="cohort_lock"),
    path("facilitator/", views_board.cohort_facilitator, name="cohort_facilitator"),
    path(
        "facilitators/suggest/",
        views_board.cohort_facilitators_suggest,
        name="cohort_facilitators_suggest",
    ),
    path("pool/", views_board.cohort_pool, name="cohort_pool"),
    path("sets.csv", views_board.cohort_export, name="cohort_export"),
    path("accept/", views_board.cohort_accept, name="cohort_accept"),
]

urlpatterns = [path("programmes/<int:programme_id>/cohort/", include(cohort_patterns))]
