from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """Facilitator development: for now, practice at asking open questions (architecture.md §6)."""

    name = "revans.training"
    label = "training"
