from django.urls import URLPattern, URLResolver, include, path

from . import views, views_export, views_media, views_meeting, views_prompts, views_sharing

# Under /journal/<log_id>/: one learning log, its entries, files, sharing and exports.
log_patterns = [
    path("", views.log_detail, name="log_detail"),
    path("edit/", views.log_edit, name="log_edit"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/autosave/", views.entry_autosave, name="entry_autosave"),
    path("attachments/new/", views_media.attachment_upload, name="attachment_upload"),
    path("sketches/new/", views_media.sketch_upload, name="sketch_upload"),
    path("sharing/", views_sharing.log_sharing, name="log_sharing"),
    path("sharing/new/", views_sharing.share_create, name="share_create"),
    path("submit/", views_sharing.log_submit, name="log_submit"),
    path("history/", views_sharing.log_history, name="log_history"),
    path("export.docx", views_export.log_export, {"fmt": "docx"}, name="log_export_docx"),
    path("export.pdf", views_export.log_export, {"fmt": "pdf"}, name="log_export_pdf"),
]

# Under /journal/entries/<entry_id>/: one entry.
entry_patterns = [
    path("", views.entry_detail, name="entry_detail"),
    path("edit/", views.entry_edit, name="entry_edit"),
    path("delete/", views.entry_delete, name="entry_delete"),
    path("comments/", views_sharing.comment_create, name="comment_create"),
    path("export.docx", views_export.entry_export, {"fmt": "docx"}, name="entry_export_docx"),
    path("export.pdf", views_export.entry_export, {"fmt": "pdf"}, name="entry_export_pdf"),
]

# Under /journal/: the journal itself, files, shares and submissions by id, meetings to reflect on.
journal_patterns: list[URLPattern | URLResolver] = [
    path("", views.journal, name="journal"),
    path("new/", views.log_create, name="log_create"),
    path("preview/", views.entry_preview, name="entry_preview"),
    path("<int:log_id>/", include(log_patterns)),
    path("entries/<int:entry_id>/", include(entry_patterns)),
    path("attachments/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
    path(
        "attachments/<int:attachment_id>/delete/",
        views_media.attachment_delete,
        name="attachment_delete",
    ),
    path("shares/<int:share_id>/resend/", views_sharing.share_resend, name="share_resend"),
    path("shares/<int:share_id>/revoke/", views_sharing.share_revoke, name="share_revoke"),
    path("shared/<str:token>/", views_sharing.share_accept, name="share_accept"),
    path(
        "submissions/<int:submission_id>/",
        views_sharing.submission_detail,
        name="submission_detail",
    ),
    path(
        "submissions/<int:submission_id>/decide/",
        views_sharing.submission_decide,
        name="submission_decide",
    ),
    path(
        "meetings/<int:meeting_id>/reflect/", views_meeting.meeting_reflect, name="meeting_reflect"
    ),
]

# Under /programmes/<programme_id>/prompts/: a programme's own prompt sets, for its managers.
prompt_patterns = [
    path("", views_prompts.programme_prompts, name="programme_prompts"),
    path(
        "<int:prompt_set_id>/edit/",
        views_prompts.programme_prompt_edit,
        name="programme_prompt_edit",
    ),
    path(
        "<int:prompt_set_id>/delete/",
        views_prompts.programme_prompt_delete,
        name="programme_prompt_delete",
    ),
]

urlpatterns = [
    path("journal/", include(journal_patterns)),
    path("programmes/<int:programme_id>/prompts/", include(prompt_patterns)),
]
