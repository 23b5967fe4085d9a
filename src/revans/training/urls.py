from django.urls import path

from . import views

urlpatterns = [
    path("practice/", views.practice, name="practice"),
    path("practice/<slug:slug>/", views.practice_scenario, name="practice_scenario"),
    path("practice/<slug:slug>/start-again/", views.practice_reset, name="practice_reset"),
]
