from django.apps import AppConfig
from django.db.models.signals import post_save


class DevelopmentConfig(AppConfig):
    name = "revans.development"
    label = "development"
    verbose_name = "Facilitator development"

    def ready(self) -> None:
        from revans.programmes.models import Programme

        from .outcomes import _new_programme

        post_save.connect(_new_programme, sender=Programme, dispatch_uid="development-outcomes")

        from revans.meetings.page import meeting_page, room_page

        from .parts import meeting_page_observations, room_observations

        meeting_page.register(meeting_page_observations)
        room_page.register(room_observations)
