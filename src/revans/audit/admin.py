"""The audit log in the admin, for the operator: read only (nobody adds, changes or deletes an
event here), filtered by action, way in and date, searched by the actor's or target's id."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "via", "action", "target", "facts_text"]
    list_filter = ["action", "via", "at"]
    date_hierarchy = "at"
    search_fields = ["=actor_id", "=target_id"]
    search_help_text = "An actor's or target's id."
    readonly_fields = ["at", "actor", "via", "action", "target_type", "target_id", "facts"]
    fields = tuple(readonly_fields)
    list_per_page = 100
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).with_actor_names()

    @admin.display(description="who")
    def actor(self, event: AuditEvent) -> str:
        return event.actor_label(getattr(event, "actor_name", None))

    @admin.display(description="facts")
    def facts_text(self, event: AuditEvent) -> str:
        return event.facts_text

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
