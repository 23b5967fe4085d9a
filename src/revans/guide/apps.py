from django.apps import AppConfig


class GuideConfig(AppConfig):
    """Revans' own guide to setting up and running action learning sets: pages shipped as
    Markdown, searchable, open to everyone (architecture.md §6)."""

    name = "revans.guide"
    label = "guide"
