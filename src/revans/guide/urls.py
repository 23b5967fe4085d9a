from django.urls import path

from . import views

# Under /guide/ (revans/urls.py): open to everyone, signed in or not.
urlpatterns = [
    path("", views.index, name="guide_index"),
    path("search/", views.search, name="guide_search"),
    path("<slug:slug>/", views.page, name="guide_page"),
]
