from django.urls import path

from . import calendar_views

urlpatterns = [
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("meetings/<int:meeting_id>/calendar.ics", calendar_views.meeting_ics, name="meeting_ics"),
    path("me/calendar/", calendar_views.calendar_settings, name="calendar_settings"),
    path("me/calendar/reset/", calendar_views.calendar_reset, name="calendar_reset"),
]
