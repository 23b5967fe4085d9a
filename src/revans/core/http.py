"""A file download, the same everywhere: an attachment under its own (Unicode-safe) name that no
shared or browser cache keeps, since every file Revans hands out is somebody's: a log, a set's
summary, a programme's report, a facilitator's record."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header


def download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # None only for an inline answer without a file name; this one is an attachment.
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    patch_cache_control(response, private=True, no_store=True)
    return response
