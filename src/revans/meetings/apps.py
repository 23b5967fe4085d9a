from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "revans.meetings"
    label = "meetings"

    def ready(self) -> None:
        from revans.sets.page import set_page

        from .room import rights
        from .summary import schedule_context

        rights.connect_signals()
        set_page.register(schedule_context)
