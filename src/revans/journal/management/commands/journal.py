"""``revans journal export --log ID --format docx|pdf -o FILE``: a log (or, with ``--entry``,
one entry) written to a file, for operators and tests. A whole log leaves drafts out, as the
download does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from revans.journal.export import (
    FORMATS,
    NothingToExport,
    export_entry,
    export_log,
)
from revans.journal.models import Entry, Log


class Command(BaseCommand):
    help = "Learning logs: export a log or an entry as Word (.docx) or PDF."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = commands.add_parser(
            "export", help="Write a log (drafts left out) or one entry to a file."
        )
        which = export.add_mutually_exclusive_group(required=True)
        which.add_argument("--log", type=int, metavar="ID", help="the log's id")
        which.add_argument("--entry", type=int, metavar="ID", help="one entry's id")
        export.add_argument("--format", choices=sorted(FORMATS), required=True)
        export.add_argument("-o", "--output", required=True, metavar="FILE")

    def handle(self, *args, action: str, **options) -> None:
        fmt, path = options["format"], Path(options["output"])
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent} to write {path.name} in.")
        if options["log"] is not None:
            log = Log.objects.select_related("owner").filter(pk=options["log"]).first()
            if log is None:
                raise CommandError(f"There is no log with id {options['log']}.")
            try:
                content = export_log(log, fmt)
            except NothingToExport as error:
                raise CommandError(str(error)) from None
            what = f"the log “{log}”"
        else:
            entry = (
                Entry.objects.select_related("log__owner", "meeting__set")
                .filter(pk=options["entry"])
                .first()
            )
            if entry is None:
                raise CommandError(f"There is no entry with id {options['entry']}.")
            content = export_entry(entry, fmt)
            what = f"the entry “{entry}”"
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {what} to {path} ({len(content):,} bytes).")
