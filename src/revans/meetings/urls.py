from django.urls import include, path

from . import views, views_calendar, views_insight, views_summary

# Under /sets/<set_id>/: a set's schedule, formats and questioning insight.
set_patterns = [
    path("schedule/", views.schedule_create, name="schedule_create"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("formats/", views.format_list, name="format_list"),
    path("formats/<int:format_id>/copy/", views.format_copy, name="format_copy"),
    path("formats/<int:format_id>/edit/", views.format_edit, name="format_edit"),
    path("questioning/", views_insight.set_questioning, name="set_questioning"),
]

# Under /meetings/<meeting_id>/: one meeting, its room, attendance, summary and calendar entry.
meeting_patterns = [
    path("", views.meeting_detail, name="meeting_detail"),
    path("edit/", views.meeting_edit, name="meeting_edit"),
    path("room/", views.meeting_room, name="meeting_room"),
    path("cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("facilitation/", views.meeting_facilitation, name="meeting_facilitation"),
    path("apologies/", views.meeting_apologies, name="meeting_apologies"),
    path("attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("summary.md", views_summary.meeting_summary_md, name="meeting_summary_md"),
    path("summary.pdf", views_summary.meeting_summary_pdf, name="meeting_summary_pdf"),
    path("calendar.ics", views_calendar.meeting_ics, name="meeting_ics"),
]

# A person's calendar feed (signed by its token, for calendar apps) and its settings.
calendar_patterns = [
    path("", views_calendar.calendar_settings, name="calendar_settings"),
    path("reset/", views_calendar.calendar_reset, name="calendar_reset"),
]

urlpatterns = [
    path("sets/<int:set_id>/", include(set_patterns)),
    path("meetings/<int:meeting_id>/", include(meeting_patterns)),
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
    path("me/calendar/", include(calendar_patterns)),
]
