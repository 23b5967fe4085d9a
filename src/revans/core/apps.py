from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "revans.core"
    label = "core"
