from django.urls import path

from . import views

urlpatterns = [
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:programme_id>/people/", views.programme_people, name="programme_people"),
    path("programmes/<int:programme_id>/edit/", views.programme_edit, name="programme_edit"),
]
