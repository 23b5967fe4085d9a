"""Actions: what a presenter commits to do before the next meeting, and what came of it.

Actions are set content: only the people in the set see them (``Action.objects.visible_to``).
"""

from django.conf import settings
from django.db import models

from revans.sets.models import ContentQuerySet


class ActionQuerySet(ContentQuerySet):
    def open(self) -> "ActionQuerySet":
        """Committed and not yet reported on: they come back at every report-back."""
        return self.filter(status=Action.Status.COMMITTED)


class Action(models.Model):
    class Status(models.TextChoices):
        COMMITTED = "committed", "Committed"
        DONE = "done", "Done"
        PARTLY = "partly", "Partly done"
        NOT_DONE = "not_done", "Not done"
        DROPPED = "dropped", "Dropped"

    set = models.ForeignKey("sets.Set", on_delete=models.CASCADE, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="actions"
    )
    text = models.CharField(max_length=500)
    committed_in = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="actions_committed"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.COMMITTED)
    report_note = models.CharField("what came of it", max_length=500, blank=True)
    reported_in = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_reported",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text
