from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "revans.actions"
    label = "actions"

    def ready(self) -> None:
        from revans.sets import page

        from .views import set_page_actions

        page.register(set_page_actions)
