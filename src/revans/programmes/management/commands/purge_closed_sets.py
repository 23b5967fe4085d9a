from django.core.management.base import BaseCommand
from django.utils import timezone

from revans.programmes.retention import purge_due_at, purge_expired, would_purge

KINDS = {
    "events": "room events",
    "presences": "presence rows",
    "questions": "questions' words",
    "practice_questions": "practice questions",
    "proposed_rules": "proposed rules",
    "review_notes": "review notes",
    "canvases": "canvases",
    "headlines": "headlines",
    "summaries": "summaries",
}


def _counts(purged) -> str:
    parts = [f"{count} {KINDS[kind]}" for kind, count in purged.as_dict().items() if count]
    return ", ".join(parts) or "nothing left to delete"


class Command(BaseCommand):
    help = (
        "Deletes now what was said in the meetings of every set closed longer than its "
        "retention (its programme's setting, 12 months for a set outside a programme), as the "
        "worker does every day. Summaries' counts and learning logs are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the sets whose content would be deleted, and how much, changing nothing.",
        )

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        if dry_run:
            due = would_purge(now)
            for set_, held in due:
                when = purge_due_at(set_)
                self.stdout.write(
                    f"Set {set_.pk} “{set_.name}”, due since {when:%Y-%m-%d}: {_counts(held)}"
                )
            self.stdout.write(f"{len(due)} set{'s' if len(due) != 1 else ''} due; nothing deleted.")
            return
        done = purge_expired(now)
        for set_id, purged in done.items():
            self.stdout.write(f"Set {set_id}: deleted {_counts(purged)}")
        self.stdout.write(
            f"Deleted what was said in {len(done)} set{'s' if len(done) != 1 else ''}."
        )
