from django.urls import path

from . import views, views_export, views_media, views_meeting, views_prompts, views_sharing

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
    # Images, sketches, audio and video on entries (uploads engineer).
    path(
        "journal/<int:log_id>/attachments/new/",
        views_media.attachment_upload,
        name="attachment_upload",
    ),
    path("journal/<int:log_id>/sketches/new/", views_media.sketch_upload, name="sketch_upload"),
    path(
        "journal/attachments/<int:attachment_id>/delete/",
        views_media.attachment_delete,
        name="attachment_delete",
    ),
    # From the meeting to the log, and programmes' own prompt sets (meeting engineer).
    path(
        "journal/meetings/<int:meeting_id>/reflect/",
        views_meeting.meeting_reflect,
        name="meeting_reflect",
    ),
    path(
        "programmes/<int:programme_id>/prompts/",
        views_prompts.programme_prompts,
        name="programme_prompts",
    ),
    path(
        "programmes/<int:programme_id>/prompts/<int:prompt_set_id>/edit/",
        views_prompts.programme_prompt_edit,
        name="programme_prompt_edit",
    ),
    path(
        "programmes/<int:programme_id>/prompts/<int:prompt_set_id>/delete/",
        views_prompts.programme_prompt_delete,
        name="programme_prompt_delete",
    ),
    # Sharing with an assessor or supervisor, comments, submissions (sharing engineer).
    path("journal/<int:log_id>/sharing/", views_sharing.log_sharing, name="log_sharing"),
    path("journal/<int:log_id>/sharing/new/", views_sharing.share_create, name="share_create"),
    path("journal/shares/<int:share_id>/resend/", views_sharing.share_resend, name="share_resend"),
    path("journal/shares/<int:share_id>/revoke/", views_sharing.share_revoke, name="share_revoke"),
    path("journal/shared/<str:token>/", views_sharing.share_accept, name="share_accept"),
    path(
        "journal/entries/<int:entry_id>/comments/",
        views_sharing.comment_create,
        name="comment_create",
    ),
    path("journal/<int:log_id>/submit/", views_sharing.log_submit, name="log_submit"),
    path("journal/<int:log_id>/history/", views_sharing.log_history, name="log_history"),
    path(
        "journal/submissions/<int:submission_id>/",
        views_sharing.submission_detail,
        name="submission_detail",
    ),
    path(
        "journal/submissions/<int:submission_id>/decide/",
        views_sharing.submission_decide,
        name="submission_decide",
    ),
    # Word and PDF downloads of a log or one entry (export engineer).
    path(
        "journal/<int:log_id>/export.docx",
        views_export.log_export,
        {"fmt": "docx"},
        name="log_export_docx",
    ),
    path(
        "journal/<int:log_id>/export.pdf",
        views_export.log_export,
        {"fmt": "pdf"},
        name="log_export_pdf",
    ),
    path(
        "journal/entries/<int:entry_id>/export.docx",
        views_export.entry_export,
        {"fmt": "docx"},
        name="entry_export_docx",
    ),
    path(
        "journal/entries/<int:entry_id>/export.pdf",
        views_export.entry_export,
        {"fmt": "pdf"},
        name="entry_export_pdf",
    ),
]
