from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "revans.meetings"
    label = "meetings"

    def ready(self) -> None:
        from revans.sets import page

        from .room import rights
        from .summary import schedule_context

        rights.connect_signals()
        page.register(schedule_context)
