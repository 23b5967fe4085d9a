from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "revans.polls"
    label = "polls"
    verbose_name = "Date polls"

    def ready(self) -> None:
        from revans.sets.page import set_page

        from .parts import set_page_polls

        set_page.register(set_page_polls)
