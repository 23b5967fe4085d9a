"""Learning-log work waiting for someone, for their dashboard: versions submitted to them to
assess, comments to answer, their own versions returned with comments, and comments on their logs
they have not seen. A fixed handful of queries, however many logs, entries and comments there are.

"Seen" is ``CommentsSeen``: when the person last opened the entry (or commented on it).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone

from .models import Comment, CommentsSeen, Entry, Share, ShareRole, Submission


@dataclass
class Waiting:
    to_assess: list[Submission] = field(default_factory=list)
    returned: list[Submission] = field(default_factory=list)
    # One dict per entry: entry_id, entry_title, log_id, log_title, owner_name, count, latest.
    to_answer: list[dict] = field(default_factory=list)
    new_on_mine: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.to_assess or self.returned or self.to_answer or self.new_on_mine)


def waiting_for(user) -> Waiting:
    """What is waiting for ``user`` in learning logs: three queries."""
    assessed = Share.objects.active().filter(user=user, role=ShareRole.ASSESSOR).values("log_id")
    to_assess = list(
        Submission.objects.filter(status=Submission.Status.SUBMITTED, log__in=assessed)
        .select_related("log__owner")
        .order_by("submitted_at")
    )
    later = Submission.objects.filter(log=OuterRef("log"), number__gt=OuterRef("number"))
    # Only the latest version of each log: once the author submits again, the return is answered.
    returned = list(
        Submission.objects.filter(log__owner=user, status=Submission.Status.RETURNED)
        .exclude(Exists(later))
        .select_related("log", "decided_by")
        .order_by("-decided_at")
    )
    seen = CommentsSeen.objects.filter(
        user=user, entry=OuterRef("entry"), seen_at__gte=OuterRef("created_at")
    )
    unseen = (
        Comment.objects.filter(entry__in=Entry.objects.visible_to(user))
        .exclude(author=user)
        .exclude(Exists(seen))
        # On one's own log, every reader's comment; on a log shared with one, its author's.
        .filter(Q(entry__log__owner=user) | Q(author=F("entry__log__owner")))
        .values(
            "entry_id",
            entry_title=F("entry__title"),
            log_id=F("entry__log_id"),
            log_title=F("entry__log__title"),
            owner_id=F("entry__log__owner_id"),
            owner_name=F("entry__log__owner__display_name"),
        )
        .annotate(count=Count("id"), latest=Max("created_at"))
        .order_by("-latest")
    )
    waiting = Waiting(to_assess=to_assess, returned=returned)
    for row in unseen:
        mine = row["owner_id"] == user.pk
        (waiting.new_on_mine if mine else waiting.to_answer).append(row)
    return waiting


def do_mark_comments_seen(user, entry: Entry) -> None:
    """Records that ``user`` has seen ``entry``'s comments as they are now (one upsert)."""
    CommentsSeen.objects.bulk_create(
        [CommentsSeen(user=user, entry=entry, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "entry"],
        update_fields=["seen_at"],
    )
