from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "revans.actions"
    label = "actions"

    def ready(self) -> None:
        from revans.sets.page import set_page

        from .views import set_page_actions

        set_page.register(set_page_actions)
