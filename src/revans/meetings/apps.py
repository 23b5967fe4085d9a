from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "revans.meetings"
    label = "meetings"

    def ready(self) -> None:
        from .room import rights

        rights.connect_signals()
