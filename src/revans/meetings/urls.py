from django.urls import path

from . import insight_views, views

urlpatterns = [
    path("sets/<int:set_id>/schedule/", views.schedule_create, name="schedule_create"),
    path("sets/<int:set_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("sets/<int:set_id>/formats/", views.format_list, name="format_list"),
    path("sets/<int:set_id>/questioning/", insight_views.set_questioning, name="set_questioning"),
    path("sets/<int:set_id>/formats/<int:format_id>/copy/", views.format_copy, name="format_copy"),
    path("sets/<int:set_id>/formats/<int:format_id>/edit/", views.format_edit, name="format_edit"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/room/", views.meeting_room, name="meeting_room"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:meeting_id>/apologies/", views.meeting_apologies, name="meeting_apologies"),
    path(
        "meetings/<int:meeting_id>/attendance/", views.meeting_attendance, name="meeting_attendance"
    ),
]
