from django.contrib import admin
from django.urls import include, path

from revans.site.admin_login import admin_login

admin.site.site_header = "Revans operations"
admin.site.site_title = "Revans operations"
# Signing in to the admin is signing in to Revans: its two-factor code and limits apply.
admin.site.login = admin_login  # type: ignore[method-assign]

# The database out of reach answers 503 "try again in a moment"; anything else 500.
handler500 = "revans.core.errors.server_error"

urlpatterns = [
    path("", include("revans.site.urls")),
    path("", include("revans.accounts.urls")),
    path("", include("revans.privacy.urls")),
    path("", include("revans.programmes.urls")),
    path("", include("revans.formation.urls")),
    path("", include("revans.sets.urls")),
    path("", include("revans.meetings.urls")),
    path("", include("revans.actions.urls")),
    path("", include("revans.journal.urls")),
    path("", include("revans.training.urls")),
    path("", include("revans.evaluation.urls")),
    path("", include("revans.development.urls")),
    path("guide/", include("revans.guide.urls")),
    path("", include("revans.polls.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
