from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "revans.site"
    label = "site"
