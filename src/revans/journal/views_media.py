"""Images, sketches and audio or video diaries on learning log entries: upload and delete.

Uploads go to the log, with the editor's entry (or, for an entry not saved yet, its draft key,
as autosave does): the first upload to a new entry makes it as a draft. The editor posts with
htmx-style requests and gets the attachments list back; without JavaScript the forms post
normally and return to the page. Files are only ever sent by ``views.attachment_file``.
"""

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from revans.core.forms import id_from
from revans.core.limits import accepts_uploads, upload_refusal

from .access import own_attachment, own_log
from .media import (
    DESCRIPTION_MAX,
    UploadRefused,
    check_image,
    check_media,
    largest_upload,
    looks_like_image,
    parse_range,
    upload_limit,
)
from .models import Attachment, Entry, Log


class UploadForm(forms.Form):
    file = forms.FileField(
        error_messages={"required": "Choose a file to upload.", "empty": "That file is empty."}
    )
    description = forms.CharField(max_length=DESCRIPTION_MAX, required=False, strip=True)
    duration = forms.CharField(max_length=40, required=False)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")


def _entry_for(request, log: Log) -> tuple[Entry | None, str]:
    """The entry named by the post (404 if it is not the user's), or the editor's draft key."""
    entry_id = request.POST.get("entry", "")
    if entry_id:
        if id_from(entry_id) is None:
            raise Http404("No such entry")
        entry = get_object_or_404(Entry.objects.owned_by(request.user).filter(log=log), pk=entry_id)
        return entry, ""
    try:
        key = str(uuid.UUID(request.POST.get("draft_key", "")))
    except ValueError:
        return None, ""
    return Entry.objects.filter(log=log, draft_key=key).first(), key


def _draft(log: Log, key: str) -> Entry:
    """The draft the editor's key names, made now if the first upload comes before any autosave."""
    try:
        with transaction.atomic():
            return Entry.objects.create(log=log, draft=True, draft_key=key)
    except IntegrityError:  # an autosave made it a moment ago
        return Entry.objects.get(log=log, draft_key=key)


def _check(request, form: UploadForm, sketch: bool):
    """The checked file, or raise ``UploadRefused`` saying why not."""
    if refusal := upload_refusal(request):
        raise UploadRefused(refusal)
    if not form.is_valid():
        raise UploadRefused(next(iter(form.errors.values()))[0])
    upload = form.cleaned_data["file"]
    head = upload.read(16)
    upload.seek(0)
    # A file sent as an image is checked as one, so a mislabelled file is told it is no image.
    said_image = (upload.content_type or "").startswith("image/") or upload.name.lower().endswith(
        IMAGE_SUFFIXES
    )
    if sketch or said_image or looks_like_image(head):
        checked = check_image(upload)
        if sketch and checked.content_type != "image/png":
            raise UploadRefused("A sketch must be a PNG image.")
        if not form.cleaned_data["description"]:
            raise UploadRefused(
                "Describe the sketch in a few words, for people who cannot see it."
                if sketch
                else "Describe the image in a few words, for people who cannot see it."
            )
        if sketch:
            checked.kind = Attachment.Kind.SKETCH
        return checked
    return check_media(upload, form.cleaned_data["duration"])


def _store(entry: Entry, checked, upload, description: str) -> Attachment:
    """Save the file and its row together: if the row cannot be saved, the file goes too."""
    attachment = Attachment(
        entry=entry,
        kind=checked.kind,
        content_type=checked.content_type,
        width=checked.width,
        height=checked.height,
        duration_seconds=(
            max(1, round(checked.duration)) if checked.duration is not None else None
        ),
        description=description,
    )
    content = ContentFile(checked.content) if checked.content is not None else upload
    attachment.size = content.size
    attachment.file.save("upload", content, save=False)
    try:
        with transaction.atomic():
            attachment.save()
            if checked.kind in (Attachment.Kind.AUDIO, Attachment.Kind.VIDEO):
                entry.refresh_media_seconds()
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def _answer(request, log: Log, entry: Entry | None, *, error="", message="", back="edit"):
    """The attachments list (for the editor's scripts), or back to the page with a message."""
    if request.htmx:
        context = {
            "log": log,
            "entry": entry,
            "attachments": list(entry.attachments.all()) if entry else [],
            "upload_error": error,
            "upload_message": message,
            "editor": back != "detail",
            "can_delete": True,
        }
        return TemplateResponse(
            request, "journal/_attachments.html", context, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    if entry is None:
        return redirect("entry_create", log.pk)
    return redirect(entry if back == "detail" else reverse("entry_edit", args=[entry.pk]))


def _upload(request, log_id: int, sketch: bool):
    log = own_log(request.user, log_id)
    entry, key = _entry_for(request, log)
    if entry is None and not key:
        return _answer(request, log, None, error="The editor sent no entry to attach the file to.")
    form = UploadForm(request.POST, request.FILES)
    try:
        checked = _check(request, form, sketch)
    except UploadRefused as refusal:
        return _answer(request, log, entry, error=str(refusal))
    if entry is None:
        entry = _draft(log, key)
    attachment = _store(entry, checked, form.cleaned_data["file"], form.cleaned_data["description"])
    if attachment.is_image:
        said = (
            "Sketch saved."
            if sketch
            else "Image uploaded, without its location and camera details."
        )
    elif attachment.duration_seconds:
        said = f"{attachment.get_kind_display()} uploaded; it counts towards the log by its length."
    else:
        said = (
            f"{attachment.get_kind_display()} uploaded, but its length could not be read, "
            "so it does not count towards the log."
        )
    return _answer(request, log, entry, message=said)


@accepts_uploads(largest_upload, upload_limit)
@login_required
@require_POST
def attachment_upload(request, log_id: int):
    """An image (checked and stripped of metadata) or an audio or video diary, on an entry."""
    return _upload(request, log_id, sketch=False)


@accepts_uploads(lambda: settings.JOURNAL_IMAGE_MAX_BYTES)
@login_required
@require_POST
def sketch_upload(request, log_id: int):
    """A PNG drawn on the editor's sketch pad."""
    return _upload(request, log_id, sketch=True)


@login_required
@require_POST
def attachment_delete(request, attachment_id: int):
    """Delete an attachment of one's own entry; its file goes once the deletion is committed."""
    attachment = own_attachment(request.user, attachment_id)
    entry = attachment.entry
    with transaction.atomic():
        attachment.delete()
        entry.refresh_media_seconds()
    back = "detail" if request.POST.get("back") == "detail" else "edit"
    return _answer(
        request, entry.log, entry, message=f"{attachment.get_kind_display()} deleted.", back=back
    )


def answer_range(request, response: FileResponse) -> FileResponse:
    """Turn a whole-file answer into the part a ``Range`` header asks for (206), so audio and
    video can seek; FileResponse alone always sends the whole file."""
    response["Accept-Ranges"] = "bytes"
    header = request.headers.get("Range", "")
    handle = response.file_to_stream
    length = response.get("Content-Length", "")
    # If-Range names a version; we keep none, so (as RFC 9110 says) the whole file is sent.
    if not header or "If-Range" in request.headers or handle is None or not length.isdigit():
        return response
    size = int(length)
    wanted = parse_range(header, size)
    if wanted is None:
        return response
    start, end = wanted
    if start >= size:
        response.status_code = 416
        response["Content-Range"] = f"bytes */{size}"
        response["Content-Length"] = "0"
        response.streaming_content = iter(())
        return response
    handle.seek(start)
    response.streaming_content = _read(handle, end - start + 1, response.block_size)
    response.status_code = 206
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    return response


def _read(handle, remaining: int, block_size: int):
    while remaining > 0:
        chunk = handle.read(min(block_size, remaining))
        if not chunk:
            return
        remaining -= len(chunk)
        yield chunk
