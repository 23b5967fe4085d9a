import logging
import os
import threading

import uvicorn
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django_tasks import default_task_backend

logger = logging.getLogger(__name__)

# How often a server without a worker runs the background sweeps itself.
SWEEP_SECONDS = 60


def port_from(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise CommandError(f"The port must be a number, not {value!r}") from None
    if not 1 <= port <= 65535:
        raise CommandError(f"The port must be between 1 and 65535, not {port}")
    return port


class Command(BaseCommand):
    help = "Serves Revans (HTTP and WebSockets) with uvicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "1")),
            help="Worker processes; more than one needs REDIS_URL for the live room.",
        )

    def handle(self, *args, host, port, workers, **options):
        serve(host, port_from(str(port)), workers)


# The largest WebSocket frame the server reads: a room command is under 8 kB (the room refuses
# bigger ones with a message); a frame past this closes the socket before it is read whole.
WS_MAX_SIZE = 64 * 1024


def sweep() -> None:
    """What a worker does on its own timetable: close the meetings left open past their end
    (with their summaries) and send the reminders now due. Both are safe to run at any time,
    by any number of processes."""
    from revans.meetings.reminders import send_due_reminders
    from revans.meetings.room.tasks import close_overdue_meetings

    for job in (close_overdue_meetings, send_due_reminders):
        try:
            job.enqueue()
        except Exception:  # one failed sweep must not stop the next, nor the server
            logger.exception("background sweep %s failed", job.name)


def start_sweeping(every: float = SWEEP_SECONDS) -> threading.Event | None:
    """When tasks run at once (no worker process: the demo), the server sweeps every minute
    from a thread of its own, so that no page has to close a meeting while someone reads it;
    returns the event that stops it. With a task queue `revans worker` sweeps: returns None."""
    if default_task_backend.supports_defer:
        return None
    stop = threading.Event()

    def run() -> None:
        while True:
            sweep()
            close_old_connections()  # as after a request: this thread lives as long as the server
            if stop.wait(every):
                return

    threading.Thread(target=run, name="revans-sweep", daemon=True).start()
    return stop


def serve(host: str, port: int, workers: int = 1) -> None:
    start_sweeping()
    uvicorn.run(
        "revans.asgi:application",
        host=host,
        port=port,
        workers=workers,
        lifespan="off",
        proxy_headers=True,
        ws_max_size=WS_MAX_SIZE,
        log_level="info",
    )
