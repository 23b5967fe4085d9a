from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "revans.privacy"
    label = "privacy"
    verbose_name = "Your data"
