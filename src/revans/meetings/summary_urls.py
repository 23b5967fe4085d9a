from django.urls import path

from . import summary_views

urlpatterns = [
    path(
        "meetings/<int:meeting_id>/summary.md",
        summary_views.meeting_summary_md,
        name="meeting_summary_md",
    ),
    path(
        "meetings/<int:meeting_id>/summary.pdf",
        summary_views.meeting_summary_pdf,
        name="meeting_summary_pdf",
    ),
]
