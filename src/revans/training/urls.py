from django.urls import include, path

from . import views

# Under /practice/: question practice on sample problems.
practice_patterns = [
    path("", views.practice, name="practice"),
    path("<slug:slug>/", views.practice_scenario, name="practice_scenario"),
    path("<slug:slug>/start-again/", views.practice_reset, name="practice_reset"),
]

urlpatterns = [path("practice/", include(practice_patterns))]
