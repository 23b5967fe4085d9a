from argparse import ArgumentTypeError

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend

from revans.site.server import sweep


def positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ArgumentTypeError(f"a number of seconds, not {value!r}") from None
    if not 0 < seconds <= 3600:
        raise ArgumentTypeError(f"more than 0 and at most 3600 seconds, not {value}")
    return seconds


class Command(BaseCommand):
    help = (
        "Runs background tasks (reminders, closing meetings left open, deleting what was said "
        "in sets closed longer than their retention) from the database queue. "
        "Starts with one sweep of each, for anything that fell due while no worker ran."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run every task that is due, then stop."
        )
        parser.add_argument(
            "--interval",
            type=positive_seconds,
            default=5.0,
            help="Seconds to wait between looks at an empty queue (default: 5).",
        )

    def handle(self, *args, batch, interval, verbosity, **options):
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError(
                "Tasks run at once, inside each request (REVANS_TASKS=immediate), so there is "
                "nothing for a worker to do. Set REVANS_TASKS=database to queue them for it."
            )
        sweep()  # what fell due while no worker ran: meetings left open, reminders, retention
        call_command(
            "db_worker",
            batch=batch,
            interval=interval,
            reload=False,  # a reload could stop a task half-way through its e-mails
            startup_delay=not batch,  # spreads out workers restarted together
            verbosity=verbosity,
            stdout=self.stdout,
            stderr=self.stderr,
        )
