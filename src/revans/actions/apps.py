from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "revans.actions"
    label = "actions"
