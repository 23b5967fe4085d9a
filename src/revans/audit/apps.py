from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "revans.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_save

        from . import admin_trail

        post_save.connect(admin_trail.entry_written, sender=LogEntry, dispatch_uid="audit-admin")
        user_logged_in.connect(admin_trail.signed_in, dispatch_uid="audit-signin")
        user_login_failed.connect(admin_trail.sign_in_failed, dispatch_uid="audit-signin-failed")
        admin.site.add_action(admin_trail.delete_selected, "delete_selected")
