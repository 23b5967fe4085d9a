from django.urls import include, path

# Under /development/<programme_id>/: a facilitators' programme, its days, people, outcomes,
# evidence and sign-offs (views_programme.py).
programme_patterns: list = []

# Under /observations/: observed practice and its feedback (views_observation.py).
observation_patterns: list = []

# Under /me/practice/: a facilitator's practice record and its exports (views_record.py).
record_patterns: list = []

urlpatterns = [
    path("development/<int:programme_id>/", include(programme_patterns)),
    path("observations/", include(observation_patterns)),
    path("me/practice/", include(record_patterns)),
]
