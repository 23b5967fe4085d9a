from django.urls import include, path

from . import views_observation, views_programme, views_record

# Under /development/<programme_id>/: a facilitators' programme, its days, people, outcomes,
# evidence and sign-offs (views_programme.py).
programme_patterns: list = [
    path("", views_programme.development_programme, name="development_programme"),
    path("days/new/", views_programme.training_day_create, name="training_day_create"),
    path("days/<int:day_id>/edit/", views_programme.training_day_edit, name="training_day_edit"),
    path(
        "days/<int:day_id>/delete/",
        views_programme.training_day_delete,
        name="training_day_delete",
    ),
    path(
        "days/<int:day_id>/attendance/",
        views_programme.training_day_attendance,
        name="training_day_attendance",
    ),
    path("people/", views_programme.development_people, name="development_people"),
    path(
        "people/<int:participant_id>/role/",
        views_programme.participant_role,
        name="participant_role",
    ),
    path(
        "people/<int:participant_id>/remove/",
        views_programme.participant_remove,
        name="participant_remove",
    ),
    path(
        "outcomes/manage/",
        views_programme.outcomes_manage,
        name="development_outcomes_manage",
    ),
    path(
        "outcomes/manage/<int:outcome_id>/edit/",
        views_programme.outcome_edit,
        name="development_outcome_edit",
    ),
    path(
        "outcomes/manage/<int:outcome_id>/delete/",
        views_programme.outcome_delete,
        name="development_outcome_delete",
    ),
    # Where a trainee stands, and the evidence they attach.
    path("outcomes/", views_programme.my_outcomes, name="development_my_outcomes"),
    path(
        "outcomes/<int:outcome_id>/evidence/",
        views_programme.evidence_add,
        name="development_evidence_add",
    ),
    path(
        "evidence/<int:evidence_id>/remove/",
        views_programme.evidence_remove,
        name="development_evidence_remove",
    ),
    # A trainer's view of one trainee, and the sign-offs.
    path("trainees/<int:user_id>/", views_programme.trainee_detail, name="development_trainee"),
    path(
        "trainees/<int:user_id>/outcomes/<int:outcome_id>/sign-off/",
        views_programme.sign_off,
        name="development_sign_off",
    ),
]

# Under /observations/: observed practice and its feedback (views_observation.py).
observation_patterns: list = [
    path("", views_observation.observation_list, name="observation_list"),
    path(
        "meeting/<int:meeting_id>/arrange/",
        views_observation.observation_arrange,
        name="observation_arrange",
    ),
    path("<int:observation_id>/", views_observation.observation_detail, name="observation_detail"),
    path(
        "<int:observation_id>/feedback/",
        views_observation.observation_feedback,
        name="observation_feedback",
    ),
    path(
        "<int:observation_id>/log/", views_observation.observation_to_log, name="observation_to_log"
    ),
    path(
        "<int:observation_id>/cancel/",
        views_observation.observation_cancel,
        name="observation_cancel",
    ),
]

# Under /me/practice/: a facilitator's practice record and its exports (views_record.py).
record_patterns: list = [
    path("", views_record.practice_record_page, name="practice_record"),
    path("record.pdf", views_record.practice_record_pdf, name="practice_record_pdf"),
    path("record.csv", views_record.practice_record_csv, name="practice_record_csv"),
    path("entries/<int:entry_id>/", views_record.practice_entry_edit, name="practice_entry_edit"),
    path(
        "entries/<int:entry_id>/delete/",
        views_record.practice_entry_delete,
        name="practice_entry_delete",
    ),
]

urlpatterns = [
    path("development/<int:programme_id>/", include(programme_patterns)),
    path("observations/", include(observation_patterns)),
    path("me/practice/", include(record_patterns)),
]
