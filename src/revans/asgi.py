import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revans.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from revans.core.limits import BodyLimitMiddleware  # noqa: E402
from revans.core.origin import SameOriginValidator  # noqa: E402
from revans.routing import websocket_urlpatterns  # noqa: E402
from revans.site.twofactor import TwoFactorSocketGuard  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Oversized bodies are refused before Django spools them to disk.
        "http": BodyLimitMiddleware(django_asgi_app),
        # Only from Revans' own pages: the Origin's host and port are the socket's.
        # Two-factor first, for those who must set it up (REVANS_REQUIRE_2FA).
        "websocket": SameOriginValidator(
            AuthMiddlewareStack(TwoFactorSocketGuard(URLRouter(websocket_urlpatterns)))
        ),
    }
)

if os.environ.get("REVANS_SERVING"):  # a process of `revans serve`: see revans.site.server
    from revans.site.server import start

    start()
