from django.urls import include, path

from . import calendar_views, insight_views, summary_views, views

# Under /sets/<set_id>/: a set's schedule, formats and questioning insight.
set_patterns = [
    path("schedule/", views.schedule_create, name="schedule_create"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("formats/", views.format_list, name="format_list"),
    path("formats/<int:format_id>/copy/", views.format_copy, name="format_copy"),
    path("formats/<int:format_id>/edit/", views.format_edit, name="format_edit"),
    path("questioning/", insight_views.set_questioning, name="set_questioning"),
]

# Under /meetings/<meeting_id>/: one meeting, its room, attendance, summary and calendar entry.
meeting_patterns = [
    path("", views.meeting_detail, name="meeting_detail"),
    path("edit/", views.meeting_edit, name="meeting_edit"),
    path("room/", views.meeting_room, name="meeting_room"),
    path("cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("apologies/", views.meeting_apologies, name="meeting_apologies"),
    path("attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("summary.md", summary_views.meeting_summary_md, name="meeting_summary_md"),
    path("summary.pdf", summary_views.meeting_summary_pdf, name="meeting_summary_pdf"),
    path("calendar.ics", calendar_views.meeting_ics, name="meeting_ics"),
]

# A person's calendar feed (signed by its token, for calendar apps) and its settings.
calendar_patterns = [
    path("", calendar_views.calendar_settings, name="calendar_settings"),
    path("reset/", calendar_views.calendar_reset, name="calendar_reset"),
]

urlpatterns = [
    path("sets/<int:set_id>/", include(set_patterns)),
    path("meetings/<int:meeting_id>/", include(meeting_patterns)),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("me/calendar/", include(calendar_patterns)),
]
