from django.core.management.base import BaseCommand, CommandError

from revans.audit.models import Action
from revans.audit.services import record_command
from revans.site.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restores a backup written by `revans backup`: checks it whole first, then replaces the "
        "database and the uploaded files, and migrates if the backup's schema is older."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="The backup archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds data.",
        )

    def handle(self, *args, file, force, **options):
        try:
            restored = restore(file, force=force, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        record_command(
            self.stderr.write,
            Action.RESTORE,
            files=restored.files,
            vendor=restored.vendor,
            migrated=restored.migrated,
        )
        self.stdout.write(
            f"Restored the {restored.vendor} database and {restored.files} uploaded "
            f"file{'' if restored.files == 1 else 's'} from {file}"
            + (", then migrated it." if restored.migrated else ".")
        )
