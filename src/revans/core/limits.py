"""How much a request may send: a cap on every request body, and larger ones for upload views.

Two layers, because Django reads a whole request body (to memory, then to a temporary file)
before any view or Django middleware sees it:

- ``BodyLimitMiddleware`` wraps the ASGI application. A body larger than its view accepts is
  refused with 413 before Django reads it: at once when ``Content-Length`` says so, otherwise
  (a chunked body) as soon as the bytes received pass the limit. The limit is
  ``settings.MAX_REQUEST_BYTES``, sign-in included, unless the view declares a larger one with
  ``accepts_uploads``.
- ``UploadLimitHandler`` (the first of ``FILE_UPLOAD_HANDLERS``) stops keeping an uploaded file
  as soon as it passes the limit its view declares, so nothing past the limit is written to a
  temporary file; the view then asks ``upload_refusal`` for the message to show.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.urls import Resolver404, resolve

# Room for the form's other fields and the multipart framing around an upload's file.
FORM_ALLOWANCE = 64 * 1024


def size_text(size: int) -> str:
    """A limit in words: "2 MB", or "512 kB" under a megabyte."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(size // 1024, 1)} kB"


def accepts_uploads(
    largest: Callable[[], int], limit_for: Callable[[bytes], int] | None = None
) -> Callable:
    """Declares that a view takes uploaded files: ``largest()`` is the largest file it takes, in
    bytes, and ``limit_for(head)`` (if given) the limit for one file judged from its first bytes.
    Its request bodies may be ``largest() + FORM_ALLOWANCE``. Both are called per request, so
    they follow the settings of the moment."""

    def declare(view):
        view.upload_largest = largest
        view.upload_limit_for = limit_for or (lambda head: largest())
        return view

    return declare


def _view(path: str):
    try:
        return resolve(path).func
    except Resolver404:
        return None


def body_limit(view) -> int:
    """The largest request body ``view`` accepts."""
    largest = getattr(view, "upload_largest", None)
    if largest is None:
        return settings.MAX_REQUEST_BYTES
    return max(largest() + FORM_ALLOWANCE, settings.MAX_REQUEST_BYTES)


# --- the ASGI layer ----------------------------------------------------------------------------


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _refuse(send, limit: int) -> None:
    body = (
        f"Request too large: at most {size_text(limit)} can be sent here. Nothing was saved.\n"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuses (413) an HTTP request whose body passes its limit, reading no more than the limit
    and one chunk of it, and without calling the application; other scopes pass untouched.

    The limit is the general one until a body passes it; only then is the path resolved, to see
    whether its view takes uploads, so most requests cost one header lookup."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.MAX_REQUEST_BYTES
        resolved = False

        def upload_limit() -> int:
            nonlocal resolved
            resolved = True
            path = scope["path"].removeprefix(scope.get("root_path", "")) or "/"
            return body_limit(_view(path))

        declared = _content_length(scope)
        if declared is not None and declared > limit:
            limit = upload_limit()
            if declared > limit:
                return await _refuse(send, limit)

        received = 0
        refused = False

        async def counted_receive():
            nonlocal received, limit, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit and not resolved:
                    limit = upload_limit()
                if received > limit:
                    # Django reads a disconnect before the end of the body as the client
                    # leaving, and answers nothing; the 413 is ours.
                    refused = True
                    await _refuse(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not refused:
                await send(message)

        await self.app(scope, counted_receive, guarded_send)


# --- uploaded files ----------------------------------------------------------------------------


# The request attribute that carries a refused file's limit from the handler to the view
# (an attribute of our own on Django's request, so set and read by name).
_TOO_LARGE = "upload_too_large"


class UploadLimitHandler(FileUploadHandler):
    """Stops receiving a file once it passes the limit its view declares (the general request
    limit for a view that declares none): the rest of the file is skipped, never written out,
    and ``upload_refusal`` tells the view."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.limit: int | None = None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.limit is None:
            match = getattr(self.request, "resolver_match", None)
            limit_for = getattr(match.func, "upload_limit_for", None) if match else None
            self.limit = limit_for(raw_data[:64]) if limit_for else settings.MAX_REQUEST_BYTES
        if start + len(raw_data) > self.limit:
            setattr(self.request, _TOO_LARGE, self.limit)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_refusal(request) -> str:
    """What to tell the uploader when a file of this request was over its limit, else ""."""
    limit = getattr(request, _TOO_LARGE, None)
    if not limit:
        return ""
    return f"That file is over {size_text(limit)}, so it was not uploaded."
