from django.urls import include, path

from . import views, views_dashboard, views_facilitator, views_programme

# Under /sets/<set_id>/survey/<survey>/: a member's start or end survey.
survey_patterns = [
    path("", views.survey, name="survey"),
    path("not-now/", views.survey_skip, name="survey_skip"),
]

# Under /meetings/<meeting_id>/pulse/: a member's pulse after a meeting.
pulse_patterns = [
    path("", views.pulse, name="pulse"),
    path("not-now/", views.pulse_skip, name="pulse_skip"),
]

# Under /programmes/<programme_id>/survey-questions/: the managers' own survey questions.
question_patterns = [
    path("", views_programme.programme_questions, name="programme_questions"),
    path(
        "<int:question_id>/delete/",
        views_programme.programme_question_delete,
        name="programme_question_delete",
    ),
]

# Under /programmes/<programme_id>/dashboard/: the managers' dashboard and the sponsor's reports.
dashboard_patterns = [
    path("", views_dashboard.programme_dashboard, name="programme_dashboard"),
    path(
        "refresh/", views_dashboard.programme_dashboard_refresh, name="programme_dashboard_refresh"
    ),
    path("report.pdf", views_dashboard.programme_report_pdf, name="programme_report_pdf"),
    path("figures.csv", views_dashboard.programme_report_csv, name="programme_report_csv"),
    path("figures.xlsx", views_dashboard.programme_report_xlsx, name="programme_report_xlsx"),
]

urlpatterns = [
    path("sets/<int:set_id>/survey/<str:survey>/", include(survey_patterns)),
    path("meetings/<int:meeting_id>/pulse/", include(pulse_patterns)),
    path("programmes/<int:programme_id>/survey-questions/", include(question_patterns)),
    path("me/answers/", views.my_answers, name="my_answers"),
    path("programmes/<int:programme_id>/dashboard/", include(dashboard_patterns)),
    path("facilitating/", views_facilitator.facilitator_sets, name="facilitator_sets"),
    path("sets/<int:set_id>/figures/", views_facilitator.set_figures_page, name="set_figures"),
]
