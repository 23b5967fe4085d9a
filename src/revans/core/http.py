"""A file download, the same everywhere: an attachment under its own (Unicode-safe) name that no
shared or browser cache keeps, since every file Revans hands out is somebody's: a log, a set's
summary, a programme's report, a facilitator's record."""

from collections.abc import AsyncIterator
from typing import IO

from asgiref.sync import sync_to_async
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header


def _as_download(response: HttpResponseBase, filename: str) -> None:
    # None only for an inline answer without a file name; this one is an attachment.
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    patch_cache_control(response, private=True, no_store=True)


def download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    _as_download(response, filename)
    return response


BLOCK = 256 * 1024


async def _blocks(file: IO[bytes]) -> AsyncIterator[bytes]:
    while block := await sync_to_async(file.read, thread_sensitive=False)(BLOCK):
        yield block


def download_file(file: IO[bytes], content_type: str, filename: str) -> FileResponse:
    """``download`` for a file too large to hold in memory: sent a block at a time from where
    it stands, and closed once sent (a temporary file then goes).

    The blocks come from an asynchronous iterator: Revans is served over ASGI, where Django
    reads a file's synchronous iterator whole into memory before it sends a byte."""
    response = FileResponse(file, content_type=content_type)  # its length, and closing the file
    response.streaming_content = _blocks(file)
    _as_download(response, filename)
    return response
