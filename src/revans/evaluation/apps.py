from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "revans.evaluation"
    label = "evaluation"
    verbose_name = "Surveys and pulses"

    def ready(self) -> None:
        from revans.meetings.page import meeting_page, room_page
        from revans.sets.page import set_page

        from .parts import meeting_page_pulse, room_pulse, set_page_surveys

        set_page.register(set_page_surveys)
        meeting_page.register(meeting_page_pulse)
        room_page.register(room_pulse)
