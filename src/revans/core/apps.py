from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "revans.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_seen

        # A new session starts as seen now, so its first pages do not save it again.
        user_logged_in.connect(
            lambda sender, request, **kwargs: mark_seen(request), weak=False, dispatch_uid="seen"
        )
