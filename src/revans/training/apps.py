from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """Facilitator development: for now, practice at asking open questions (DESIGN.md §6)."""

    name = "revans.training"
    label = "training"
