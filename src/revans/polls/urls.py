from django.urls import include, path

from . import views

# Under /polls/<poll_id>/: one poll, answering it, choosing its time or closing it.
poll_patterns = [
    path("", views.poll_detail, name="poll_detail"),
    path("answer/", views.poll_answer, name="poll_answer"),
    path("choose/", views.poll_choose, name="poll_choose"),
    path("close/", views.poll_close, name="poll_close"),
]

urlpatterns = [
    path("sets/<int:set_id>/polls/new/", views.poll_create, name="poll_create"),
    path("polls/<int:poll_id>/", include(poll_patterns)),
    # The e-mailed answer link: signed, for one person and one poll (links.py).
    path("polls/answer/<str:token>/", views.poll_answer_link, name="poll_answer_link"),
]
