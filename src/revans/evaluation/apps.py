from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "revans.evaluation"
    label = "evaluation"
    verbose_name = "Surveys and pulses"
