"""Request bodies are capped before Django reads them, and uploads stop at their limit."""

import asyncio

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse, reverse_lazy

from revans.asgi import application
from revans.core.limits import BodyLimitMiddleware, size_text

KB = 1024
MB = 1024 * KB
CHUNK = 64 * KB
SIGN_IN = reverse_lazy("account_login")


class Exchange:
    """One HTTP request driven through an ASGI application: the body is offered in chunks, and
    what the application read and sent is kept."""

    def __init__(self, app, path: str, body_size: int, *, chunked: bool = False):
        self.app = app
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": str(path),
            "raw_path": str(path).encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [
                (b"host", b"testserver"),
                (b"content-type", b"application/x-www-form-urlencoded"),
            ]
            + ([] if chunked else [(b"content-length", str(body_size).encode())]),
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
        }
        self.chunks = [b"x" * CHUNK] * (body_size // CHUNK)
        if body_size % CHUNK:
            self.chunks.append(b"x" * (body_size % CHUNK))
        self.read = 0  # bytes the application was given
        self.sent: list[dict] = []

    async def _receive(self):
        if self.chunks:
            body = self.chunks.pop(0)
            self.read += len(body)
            return {"type": "http.request", "body": body, "more_body": bool(self.chunks)}
        await asyncio.Event().wait()  # the client waits for the answer

    async def _send(self, message):
        self.sent.append(message)

    def run(self) -> "Exchange":
        asyncio.run(asyncio.wait_for(self.app(self.scope, self._receive, self._send), 30))
        return self

    @property
    def status(self) -> int:
        return next(m["status"] for m in self.sent if m["type"] == "http.response.start")

    @property
    def text(self) -> str:
        return b"".join(
            m.get("body", b"") for m in self.sent if m["type"] == "http.response.body"
        ).decode()


class Echo:
    """An application standing in for Django: reads the whole body, answers with its length."""

    def __init__(self):
        self.called = False
        self.saw_disconnect = False

    async def __call__(self, scope, receive, send):
        self.called = True
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.saw_disconnect = True
                return
            size += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(size).encode()})


@pytest.fixture
def caps(settings):
    settings.MAX_REQUEST_BYTES = 1 * MB
    settings.JOURNAL_IMAGE_MAX_BYTES = 1 * MB
    settings.JOURNAL_AUDIO_MAX_BYTES = 2 * MB
    settings.JOURNAL_VIDEO_MAX_BYTES = 3 * MB
    return settings


def test_an_oversized_sign_in_is_refused_before_authentication_and_creates_nothing(world, caps):
    users, sessions = get_user_model().objects.count(), Session.objects.count()
    exchange = Exchange(application, SIGN_IN, 5 * MB).run()
    assert exchange.status == 413
    assert "Request too large: at most 1 MB" in exchange.text
    assert exchange.read == 0  # the Content-Length said enough: not a byte was read
    assert len([m for m in exchange.sent if m["type"] == "http.response.start"]) == 1
    assert (get_user_model().objects.count(), Session.objects.count()) == (users, sessions)


def test_an_oversized_sign_in_never_reaches_django(caps):
    django = Echo()
    exchange = Exchange(BodyLimitMiddleware(django), SIGN_IN, 1 * MB + 1).run()
    assert exchange.status == 413 and not django.called


def test_a_chunked_body_is_counted_as_it_arrives_and_cut_at_the_cap(world, caps):
    exchange = Exchange(application, SIGN_IN, 50 * MB, chunked=True).run()
    assert exchange.status == 413
    assert 1 * MB < exchange.read <= 1 * MB + CHUNK  # the cap and the chunk that passed it
    assert len([m for m in exchange.sent if m["type"] == "http.response.start"]) == 1


def test_a_chunked_body_over_the_cap_is_never_handed_on_whole(caps):
    django = Echo()
    exchange = Exchange(BodyLimitMiddleware(django), SIGN_IN, 2 * MB, chunked=True).run()
    assert exchange.status == 413
    assert django.saw_disconnect  # Django reads it as the client leaving, and answers nothing
    assert exchange.text.startswith("Request too large")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_up_to_the_cap_goes_through(caps, chunked):
    exchange = Exchange(BodyLimitMiddleware(Echo()), SIGN_IN, 1 * MB, chunked=chunked).run()
    assert (exchange.status, exchange.text) == (200, str(1 * MB))


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_upload_view_takes_bodies_up_to_its_largest_file(world, caps, chunked):
    url = reverse("attachment_upload", args=[1])
    exchange = Exchange(BodyLimitMiddleware(Echo()), url, 3 * MB, chunked=chunked).run()
    assert exchange.status == 200
    refused = Exchange(BodyLimitMiddleware(Echo()), url, 4 * MB, chunked=chunked).run()
    assert refused.status == 413 and "at most 3 MB" in refused.text


def test_the_sketch_pad_takes_an_image_and_no_more(caps):
    url = reverse("sketch_upload", args=[1])
    assert Exchange(BodyLimitMiddleware(Echo()), url, 1 * MB + 60 * KB).run().status == 200
    assert Exchange(BodyLimitMiddleware(Echo()), url, 2 * MB).run().status == 413


def test_an_unknown_path_has_the_general_cap(caps):
    exchange = Exchange(BodyLimitMiddleware(Echo()), "/no/such/page/", 2 * MB).run()
    assert exchange.status == 413


def test_other_scopes_pass_untouched():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    asyncio.run(BodyLimitMiddleware(app)({"type": "lifespan"}, None, None))
    assert seen == ["lifespan"]


def test_limits_read_as_words():
    assert (size_text(1 * MB), size_text(200 * MB), size_text(512 * KB)) == (
        "1 MB",
        "200 MB",
        "512 kB",
    )


# --- files: the upload handler ------------------------------------------------------------------


class CountingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """The handler that writes uploads to temporary files, counting the most it was given."""

    most = 0

    def receive_data_chunk(self, raw_data, start):
        type(self).most = max(type(self).most, start + len(raw_data))
        return super().receive_data_chunk(raw_data, start)


@pytest.fixture
def counted_temp(settings, tmp_path):
    settings.FILE_UPLOAD_HANDLERS = [
        "revans.core.limits.UploadLimitHandler",
        f"{__name__}.CountingTemporaryFileUploadHandler",
    ]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    CountingTemporaryFileUploadHandler.most = 0
    return tmp_path


def test_a_file_sent_where_no_upload_is_taken_stops_at_the_general_cap(world, caps, counted_temp):
    big = SimpleUploadedFile("big.bin", b"x" * (3 * MB))
    world.client(None).post(SIGN_IN, {"login": "x", "password": "y", "file": big})
    assert CountingTemporaryFileUploadHandler.most <= 1 * MB
    assert list(counted_temp.iterdir()) == []


def test_a_cohort_file_over_2_mb_is_refused_while_received(world, counted_temp):
    from revans.formation.models import Cohort

    big = SimpleUploadedFile("cohort.csv", b"a" * (5 * MB), content_type="text/csv")
    response = world.client(world.pam).post(
        reverse("cohort_import", args=[world.programme.pk]), {"file": big}
    )
    assert response.status_code == 200
    assert "The file is over 2 MB; at most 2 MB can be imported." in response.text
    assert CountingTemporaryFileUploadHandler.most <= 2 * MB
    assert list(counted_temp.iterdir()) == []
    assert not Cohort.objects.exists()
