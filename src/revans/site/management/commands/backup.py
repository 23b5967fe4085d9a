from django.core.management.base import BaseCommand, CommandError

from revans.audit.models import Action
from revans.audit.services import record_command
from revans.site.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Writes a backup of the database (SQLite: a consistent copy while Revans runs; "
        "PostgreSQL: pg_dump) and every uploaded file to one ZIP archive with a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE", help="The archive to write."
        )

    def handle(self, *args, output, **options):
        try:
            manifest = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        files = len(manifest["files"]) - 1
        record_command(
            self.stderr.write, Action.BACKUP, files=files, vendor=manifest["database"]["vendor"]
        )
        self.stdout.write(
            f"Backed up the {manifest['database']['vendor']} database and {files} uploaded "
            f"file{'' if files == 1 else 's'} to {output}."
        )
