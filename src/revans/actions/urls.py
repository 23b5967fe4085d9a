from django.urls import path

from . import views

urlpatterns = [
    path("me/actions/", views.my_actions, name="my_actions"),
]
