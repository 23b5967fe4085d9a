from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "revans.polls"
    label = "polls"
    verbose_name = "Date polls"

    def ready(self) -> None:
        from revans.meetings.page import room_page
        from revans.sets.page import set_page

        from .parts import room_dates, set_page_polls

        set_page.register(set_page_polls)
        room_page.register(room_dates)
