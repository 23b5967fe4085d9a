"""WebSockets are opened only from Revans' own pages: the Origin header must name the host *and
port* the socket was opened on (channels' AllowedHostsOriginValidator compares host names only,
so a page served on another port of the same host could open the room)."""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}


def same_origin(origin: str, host: str) -> bool:
    """Whether ``origin`` (scheme://host[:port]) names ``host`` (the Host header, host[:port])."""
    try:
        parsed = urlsplit(origin)
        origin_port = str(parsed.port or DEFAULT_PORTS.get(parsed.scheme, ""))
    except ValueError:
        return False
    if not parsed.hostname or parsed.scheme not in DEFAULT_PORTS:
        return False
    domain, port = split_domain_port(host.lower())
    if not domain or domain != parsed.hostname.lower():
        return False
    if not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    # A Host header without a port is the scheme's default port, and behind a proxy that
    # terminates TLS the socket's own scheme is not the page's: take the origin's default.
    return (port or DEFAULT_PORTS[parsed.scheme]) == origin_port


class SameOriginValidator:
    """ASGI middleware: a WebSocket whose Origin is not this host and port is refused."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            headers = dict(scope.get("headers", []))
            origin = headers.get(b"origin", b"").decode("latin1")
            host = headers.get(b"host", b"").decode("latin1")
            if not same_origin(origin, host):
                denier = WebsocketDenier()
                return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
