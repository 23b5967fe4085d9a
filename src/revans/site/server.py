"""What each server process does once it has loaded Revans (`revans serve` marks its processes
with REVANS_SERVING, and `asgi.py` calls ``start`` in each; tests and other commands that load
the application do not): keep the garbage collector's pauses out of the live room, and sweep
for background work when no worker process runs the tasks."""

import gc
import logging
import threading

from django.db import close_old_connections
from django_tasks import default_task_backend

logger = logging.getLogger(__name__)

SERVING = "REVANS_SERVING"

# How often a server without a worker runs the background sweeps itself.
SWEEP_SECONDS = 60

# A full collection walks every object the process holds: with 2,400 room sockets open, a pause
# felt by every room at once. Young collections stay frequent, so short-lived cycles are freed at
# once; full ones become rare (bench/room_fanout.py, 300 rooms: docs/benchmarks.md).
GC_THRESHOLDS = (10_000, 10, 10_000)


def start() -> None:
    """Once per server process, after the application is loaded."""
    gc.freeze()  # what loading made lives as long as the process: never walk it again
    gc.set_threshold(*GC_THRESHOLDS)
    start_sweeping()


def sweep() -> None:
    """What a worker does on its own timetable: close the meetings left open past their end
    (with their summaries), send the reminders now due and delete what was said in sets whose
    retention is over. Each is safe to run at any time, by any number of processes."""
    from revans.meetings.reminders import send_due_reminders
    from revans.meetings.room.tasks import close_overdue_meetings
    from revans.programmes.retention import purge_expired_sets

    for job in (close_overdue_meetings, send_due_reminders, purge_expired_sets):
        try:
            job.enqueue()
        except Exception:  # one failed sweep must not stop the next, nor the server
            logger.exception("background sweep %s failed", job.name)


def start_sweeping(every: float = SWEEP_SECONDS) -> threading.Event | None:
    """When tasks run at once (no worker process: the demo), each server process sweeps every
    minute from a thread of its own, with a connection from its own pool, so that no page has
    to close a meeting while someone reads it; returns the event that stops it. With a task
    queue `revans worker` sweeps: returns None."""
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
