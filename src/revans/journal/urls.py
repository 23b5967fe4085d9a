from django.urls import path

from . import views

urlpatterns = [
    path("journal/", views.journal, name="journal"),
    path("journal/new/", views.log_create, name="log_create"),
    path("journal/preview/", views.entry_preview, name="entry_preview"),
    path("journal/<int:log_id>/", views.log_detail, name="log_detail"),
    path("journal/<int:log_id>/edit/", views.log_edit, name="log_edit"),
    path("journal/<int:log_id>/entries/new/", views.entry_create, name="entry_create"),
    path("journal/<int:log_id>/entries/autosave/", views.entry_autosave, name="entry_autosave"),
    path("journal/entries/<int:entry_id>/", views.entry_detail, name="entry_detail"),
    path("journal/entries/<int:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("journal/entries/<int:entry_id>/delete/", views.entry_delete, name="entry_delete"),
    path(
        "journal/attachments/<int:attachment_id>/",
        views.attachment_file,
        name="attachment_file",
    ),
]
