from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "revans.formation"
    label = "formation"
    verbose_name = "Set formation"
