from django.urls import path

from . import views

# Under /me/, beside the profile: about the person signed in, with no ids.
urlpatterns = [
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/download/", views.my_data_download, name="my_data_download"),
    path("me/delete/", views.delete_account, name="delete_account"),
]
