import os

import uvicorn
from django.core.management.base import BaseCommand, CommandError

from revans.site.server import SERVING


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


def serve(host: str, port: int, workers: int = 1) -> None:
    os.environ[SERVING] = "1"  # each worker process starts its own (revans.site.server)
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
