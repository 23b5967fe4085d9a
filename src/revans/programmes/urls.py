from django.urls import include, path

from . import views

# Under /programmes/<programme_id>/: the programme's page, its people and its settings.
programme_patterns = [
    path("", views.programme_detail, name="programme_detail"),
    path("people/", views.programme_people, name="programme_people"),
    path("edit/", views.programme_edit, name="programme_edit"),
]

urlpatterns = [
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:programme_id>/", include(programme_patterns)),
]
