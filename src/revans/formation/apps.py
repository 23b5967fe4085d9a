from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "revans.formation"
    label = "formation"
    verbose_name = "Set formation"

    def ready(self) -> None:
        from revans.programmes.page import programme_page

        from .views import programme_cohort

        programme_page.register(programme_cohort)
