from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "revans.programmes"
    label = "programmes"

    def ready(self) -> None:
        from revans.sets.page import set_page

        from .retention import retention_part
        from .set_page import programme_leaders

        set_page.register(programme_leaders)
        set_page.register(retention_part)
