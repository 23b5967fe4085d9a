from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("accounts/verification/resend/", views.verification_resend, name="verification_resend"),
]
