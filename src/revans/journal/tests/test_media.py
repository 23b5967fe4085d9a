"""Images, sketches, audio and video on entries: checked by content, stripped of metadata,
limited in size, counted by duration, and never left behind when refused or deleted."""

import gzip
import io
import struct
import wave
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from PIL import Image

from revans.journal.media import UploadRefused, parse_range, read_webm
from revans.journal.models import Attachment, Entry

from .conftest import make_log, share

DRAFT_KEY = "6f1c3c0e-9a0b-4a55-8a52-1d2d0c6c7f11"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def jpeg_with_gps() -> bytes:
    """A 40×20 JPEG whose EXIF holds a GPS position, a camera, and orientation 6 (turn 90°)."""
    image = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[0x010F] = "Spycam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(30, 20), colour="blue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def bomb_png(width=100_000, height=100_000) -> bytes:
    """A tiny PNG whose header declares a picture of ten billion pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def wav(seconds: float = 3.0, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(rate)
        sound.writeframes(b"\x80" * int(seconds * rate))
    return out.getvalue()


def ebml(element: int, payload: bytes, unknown_size: bool = False) -> bytes:
    ident = element.to_bytes((element.bit_length() + 7) // 8, "big")
    size = (
        b"\x01\xff\xff\xff\xff\xff\xff\xff"
        if unknown_size
        else b"\x01" + len(payload).to_bytes(7, "big")
    )
    return ident + size + payload


def webm(duration_ms: float | None, track_type: int = 2) -> bytes:
    header = ebml(0x1A45DFA3, ebml(0x4282, b"webm"))
    info = ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big"))
    if duration_ms is not None:
        info += ebml(0x4489, struct.pack(">d", duration_ms))
    tracks = ebml(0x1654AE6B, ebml(0xAE, ebml(0xD7, b"\x01") + ebml(0x83, bytes([track_type]))))
    cluster = ebml(0x1F43B675, b"\x00" * 32)
    return header + ebml(0x18538067, ebml(0x1549A966, info) + tracks + cluster, unknown_size=True)


def upload(client, log, content: bytes, name="photo.png", kind="image/png", sketch=False, **data):
    data.setdefault("description", "The flip chart after the meeting")
    if "entry" not in data and "draft_key" not in data:
        data["entry"] = Entry.objects.filter(log=log).first().pk
    data["file"] = SimpleUploadedFile(name, content, content_type=kind)
    url = reverse("sketch_upload" if sketch else "attachment_upload", args=[log.pk])
    meta = {key: data.pop(key) for key in list(data) if key.startswith("HTTP_")}
    return client.post(url, data, **meta)


def test_a_photo_is_stored_upright_without_its_exif_or_position(world, log, entry, media_root):
    response = upload(world.client(world.mo), log, jpeg_with_gps(), "holiday.jpg", "image/jpeg")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.content_type) == ("image", "image/jpeg")
    assert (attachment.width, attachment.height) == (20, 40)  # the orientation was applied
    assert attachment.file.name.endswith(".jpg") and "holiday" not in attachment.file.name
    with Image.open(attachment.file.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert "exif" not in stored.info
    assert b"Spycam" not in attachment.file.read()
    assert attachment.size == attachment.file.size


def test_an_image_is_shown_by_its_entry_and_inserted_by_its_markdown(world, log, entry):
    upload(world.client(world.mo), log, png())
    attachment = Attachment.objects.get()
    assert (
        attachment.markdown
        == f"![The flip chart after the meeting]({attachment.get_absolute_url()})"
    )
    page = world.client(world.mo).get(reverse("entry_edit", args=[entry.pk]))
    assert attachment.markdown.encode() in page.content
    assert b"Insert into text" in page.content


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (b"just some words, not a picture", "notes.png", "image/png"),
        (b"<script>alert(1)</script>", "photo.jpg", "image/jpeg"),
        (png()[:40], "cut-short.png", "image/png"),
        (b"", "empty.png", "image/png"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_and_nothing_kept(
    world, log, entry, media_root, content, name, kind
):
    response = upload(world.client(world.mo), log, content, name, kind, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_decompression_bomb_is_refused(world, log, entry, media_root):
    response = upload(world.client(world.mo), log, bomb_png(), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert b"megapixels" in response.content or b"more pixels" in response.content
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []


def test_an_oversized_image_is_refused_with_its_limit(world, log, entry, settings, media_root):
    settings.JOURNAL_IMAGE_MAX_BYTES = 1024 * 1024
    big = png((1400, 1400), "white")[:8] + b"\x00" * (2 * 1024 * 1024)
    response = upload(world.client(world.mo), log, big, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert b"over 1 MB" in response.content
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []


def test_a_200_mb_video_is_refused_while_it_is_received(world, log, entry, settings, media_root):
    settings.JOURNAL_VIDEO_MAX_BYTES = 2 * 1024 * 1024  # stands in for 200 MB
    big = webm(5000, track_type=1) + b"\x00" * (3 * 1024 * 1024)
    mo = world.client(world.mo)
    response = upload(mo, log, big, "diary.webm", "video/webm")
    assert response.status_code == 302
    follow = mo.get(response["Location"])
    assert b"over 2 MB" in follow.content
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []


def test_an_image_needs_a_description(world, log, entry, media_root):
    response = upload(world.client(world.mo), log, png(), description="", HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and b"Describe the image" in response.content
    assert stored_files(media_root) == []


def test_someone_else_uploading_to_mos_log_gets_404(world, log, entry):
    other_log = make_log(world.nia)
    nia = world.client(world.nia)
    assert upload(nia, log, png(), entry=entry.pk).status_code == 404
    # …and nia cannot reach mo's entry through her own log either.
    assert upload(nia, other_log, png(), entry=entry.pk).status_code == 404
    assert Attachment.objects.count() == 0


def test_a_shared_reader_cannot_upload_or_delete(world, log, entry):
    share(log, world.nia)
    nia = world.client(world.nia)
    assert upload(nia, log, png(), entry=entry.pk).status_code == 404
    upload(world.client(world.mo), log, png())
    attachment = Attachment.objects.get()
    delete = reverse("attachment_delete", args=[attachment.pk])
    assert nia.post(delete).status_code == 404
    assert Attachment.objects.count() == 1


def test_anonymous_is_sent_to_sign_in(client, log, entry):
    response = upload(client, log, png(), entry=entry.pk)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_first_upload_to_a_new_entry_makes_its_draft(world, log):
    response = upload(world.client(world.mo), log, png(), draft_key=DRAFT_KEY)
    entry = Entry.objects.get(draft_key=DRAFT_KEY)
    assert entry.draft and entry.log == log
    assert response["Location"] == reverse("entry_edit", args=[entry.pk])
    assert entry.attachments.count() == 1


def test_a_sketch_is_a_png_attached_as_a_sketch(world, log, entry):
    response = upload(
        world.client(world.mo), log, png(), "sketch.png", sketch=True, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    sketch = Attachment.objects.get()
    assert (sketch.kind, sketch.content_type) == ("sketch", "image/png")
    assert (
        b"Sketch saved" in response.content
        and sketch.get_absolute_url().encode() in response.content
    )


def test_a_sketch_that_is_not_a_png_is_refused(world, log, entry, media_root):
    response = upload(
        world.client(world.mo), log, jpeg_with_gps(), "s.png", sketch=True, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_audio_diary_counts_by_its_length(world, log, entry):
    response = upload(
        world.client(world.mo), log, wav(3.2), "diary.wav", "audio/wav", description=""
    )
    assert response.status_code == 302
    audio = Attachment.objects.get()
    assert (audio.kind, audio.content_type, audio.duration_seconds) == ("audio", "audio/wav", 3)
    entry.refresh_from_db()
    assert entry.media_seconds == 3
    page = world.client(world.mo).get(entry.get_absolute_url())
    assert b"<audio controls" in page.content and b"0:03 of audio and video" in page.content


def test_a_webm_video_gives_its_length_from_its_header(world, log, entry):
    upload(world.client(world.mo), log, webm(65_400.0, track_type=1), "d.webm", "video/webm")
    video = Attachment.objects.get()
    assert (video.kind, video.content_type, video.duration_seconds) == ("video", "video/webm", 65)


def test_a_recorded_webm_without_a_length_uses_the_one_the_browser_found(world, log, entry):
    upload(world.client(world.mo), log, webm(None), "rec.webm", "audio/webm", duration="12.6")
    audio = Attachment.objects.get()
    assert (audio.kind, audio.duration_seconds) == ("audio", 13)
    entry.refresh_from_db()
    assert entry.media_seconds == 13


def test_a_recording_that_is_not_one_is_refused(world, log, entry, media_root):
    fake = b"ID3" + b"\x00" * 200
    response = upload(
        world.client(world.mo), log, fake, "a.mp3", "audio/mpeg", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and Attachment.objects.count() == 0
    response = upload(
        world.client(world.mo), log, b"PK\x03\x04zip", "a.mp4", "video/mp4", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and b"not a recording" in response.content
    assert stored_files(media_root) == []


def test_an_oversized_audio_is_refused(world, log, entry, settings, media_root):
    settings.JOURNAL_AUDIO_MAX_BYTES = 10_000
    response = upload(
        world.client(world.mo), log, wav(3), "a.wav", "audio/wav", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and b"over" in response.content
    assert stored_files(media_root) == []


def test_deleting_removes_the_file_and_the_length(
    world, log, entry, media_root, django_capture_on_commit_callbacks
):
    mo = world.client(world.mo)
    upload(mo, log, wav(4), "a.wav", "audio/wav")
    audio = Attachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = mo.post(reverse("attachment_delete", args=[audio.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"Audio deleted" in response.content
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []
    entry.refresh_from_db()
    assert entry.media_seconds == 0


def test_delete_needs_a_post(world, log, entry):
    upload(world.client(world.mo), log, png())
    attachment = Attachment.objects.get()
    response = world.client(world.mo).get(reverse("attachment_delete", args=[attachment.pk]))
    assert response.status_code == 405 and Attachment.objects.count() == 1


def test_audio_can_be_fetched_in_parts_for_seeking(world, log, entry):
    mo = world.client(world.mo)
    upload(mo, log, wav(1), "a.wav", "audio/wav")
    audio = Attachment.objects.get()
    whole = audio.file.read()
    response = mo.get(audio.get_absolute_url(), HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-19/{len(whole)}"
    assert b"".join(response.streaming_content) == whole[10:20]
    assert "sandbox" in response["Content-Security-Policy"]
    full = mo.get(audio.get_absolute_url())
    assert full.status_code == 200 and full["Accept-Ranges"] == "bytes"
    past = mo.get(audio.get_absolute_url(), HTTP_RANGE=f"bytes={len(whole) + 5}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(whole)}"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-9", (0, 9)),
        ("bytes=90-", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=50-500", (50, 99)),
        ("bytes=100-", (100, 100)),
        ("bytes=5-2", (100, 100)),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
        ("bytes=a-b", None),
    ],
)
def test_range_headers_are_read_strictly(header, expected):
    assert parse_range(header, 100) == expected


def test_a_matroska_file_is_not_taken_for_webm():
    data = webm(1000).replace(b"webm", b"mkvx")
    with pytest.raises(UploadRefused, match="Matroska"):
        read_webm(io.BytesIO(data))


def test_garbage_posted_to_the_upload_never_fails(world, log, entry, media_root):
    mo = world.client(world.mo)
    url = reverse("attachment_upload", args=[log.pk])
    garbage = ({}, {"entry": "x"}, {"entry": "99999999"}, {"entry": "9" * 30}, {"entry": "²"})
    for data in (*garbage, {"draft_key": "nope", "file": "a"}):
        assert mo.post(url, data).status_code in (302, 400, 404)
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []


def zip_archive() -> bytes:
    """A real, small zip archive (it starts b"PK\\x03\\x04"), holding one text file."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inside.txt", "not a picture " * 50)
    return out.getvalue()


def test_a_zip_archive_named_as_a_png_is_refused_and_nothing_kept(world, log, entry, media_root):
    content = zip_archive()
    assert content.startswith(b"PK\x03\x04")
    response = upload(world.client(world.mo), log, content, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "That file is not a PNG, JPEG, WebP or GIF image." in response.text
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []


def test_a_gzipped_request_body_is_not_unpacked(world, log, entry, media_root):
    """Revans never decompresses a request body: gzip bytes are bytes the form cannot read,
    whether they hide a form or a whole upload with a good picture in it."""
    url = reverse("attachment_upload", args=[log.pk])
    mo = world.client(world.mo)
    picture = SimpleUploadedFile("photo.png", png(), content_type="image/png")
    fields = {"entry": entry.pk, "description": "x", "file": picture}
    for body, kind in (
        (f"entry={entry.pk}&description=x", "application/x-www-form-urlencoded"),
        (encode_multipart(BOUNDARY, fields), MULTIPART_CONTENT),
    ):
        body = body if isinstance(body, bytes) else body.encode()
        response = mo.generic(
            "POST",
            url,
            gzip.compress(body),
            content_type=kind,
            HTTP_CONTENT_ENCODING="gzip",
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 400 and b'role="alert"' in response.content
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []


# --- images that cost too much, and what an image must not carry -----------------------------


def png_declaring(width: int, height: int) -> bytes:
    """A real RGBA PNG of ``width`` × ``height`` black pixels: 7,000 × 7,000 compresses to about
    190 kB and would take 196 MB to decode."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + width * 4)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_a_small_png_declaring_7000_by_7000_pixels_is_refused_before_it_is_decoded(
    world, log, entry, media_root, monkeypatch
):
    content = png_declaring(7000, 7000)
    assert len(content) < 200 * 1024
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda image: decoded.append(image))
    response = upload(world.client(world.mo), log, content, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "That image is 7,000 × 7,000 pixels, more than we can open" in response.text
    assert decoded == []
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []


def jpeg(size=(40, 20), **extra) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "JPEG", **extra)
    return out.getvalue()


def test_a_jpeg_too_large_to_decode_whole_is_decoded_and_stored_smaller(
    world, log, entry, monkeypatch
):
    monkeypatch.setattr("revans.journal.media.MAX_DECODED_BYTES", 1024 * 1024)
    response = upload(world.client(world.mo), log, jpeg((1000, 600)), "big.jpg", "image/jpeg")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.width, attachment.height) == (500, 300)
    with Image.open(attachment.file.path) as stored:
        assert stored.size == (500, 300)


def test_a_png_too_large_to_decode_is_refused_with_a_message(world, log, entry, monkeypatch):
    monkeypatch.setattr("revans.journal.media.MAX_DECODED_BYTES", 1024 * 1024)
    response = upload(world.client(world.mo), log, png((1000, 600)), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "1,000 × 600 pixels, more than we can open" in response.text


def test_a_jpeg_comment_and_xmp_do_not_survive(world, log, entry):
    content = jpeg(comment=b"Meet me at the Red Lion", xmp=b"<x:xmpmeta>Mo's phone</x:xmpmeta>")
    assert b"Red Lion" in content and b"Mo's phone" in content
    upload(world.client(world.mo), log, content, "note.jpg", "image/jpeg")
    attachment = Attachment.objects.get()
    saved = attachment.file.read()
    assert b"Red Lion" not in saved and b"Mo's phone" not in saved
    assert b"\xff\xfe" not in saved.split(b"\xff\xda")[0]  # no COM segment before the pixels
    with Image.open(attachment.file.path) as stored:
        assert not {"comment", "xmp", "icc_profile", "exif"} & set(stored.info)


def profile_saying(words: str) -> bytes:
    """An sRGB colour profile whose description reads ``words`` (13 characters)."""
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    mine = words.encode("utf-16-be")
    assert len(mine) == len("sRGB built-in".encode("utf-16-be"))
    return profile.replace("sRGB built-in".encode("utf-16-be"), mine)


def test_a_colour_profile_and_its_text_do_not_survive(world, log, entry):
    words = "Alice's iMac!".encode("utf-16-be")
    content = jpeg(icc_profile=profile_saying("Alice's iMac!"))
    assert words in content
    upload(world.client(world.mo), log, content, "photo.jpg", "image/jpeg")
    attachment = Attachment.objects.get()
    assert words not in attachment.file.read()
    with Image.open(attachment.file.path) as stored:
        assert "icc_profile" not in stored.info
        assert stored.getpixel((5, 5))[0] > 200  # still red


def test_a_sketch_keeps_no_png_text_or_profile(world, log, entry):
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Mo Farah, Leeds")
    text.add_itxt("Comment", "drawn during the Aurora meeting", zip=True)
    text.add_text("Secret", "zipped words", zip=True)
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), "white").save(
        out, "PNG", pnginfo=text, icc_profile=profile_saying("Alice's iMac!")
    )
    upload(world.client(world.mo), log, out.getvalue(), "sketch.png", sketch=True)
    attachment = Attachment.objects.get()
    saved = attachment.file.read()
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"Leeds"):
        assert chunk not in saved
    with Image.open(attachment.file.path) as stored:
        assert stored.text == {}


def test_a_transparent_palette_png_stays_transparent(world, log, entry):
    image = Image.new("P", (10, 10), 1)
    image.putpalette([0, 0, 0, 255, 255, 255])
    out = io.BytesIO()
    image.save(out, "PNG", transparency=1)
    upload(world.client(world.mo), log, out.getvalue())
    with Image.open(Attachment.objects.get().file.path) as stored:
        assert stored.info.get("transparency") == 1


# --- sizes: up to the limit is kept, past it nothing is ----------------------------------------


class CountingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler that writes uploads to temporary files, counting the most it was given."""

    most = 0

    def receive_data_chunk(self, raw_data, start):
        type(self).most = max(type(self).most, start + len(raw_data))
        return super().receive_data_chunk(raw_data, start)


def wav_of(size: int) -> bytes:
    """A WAV recording of exactly ``size`` bytes (a 44-byte header, one byte a sample)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(8000)
        sound.writeframes(b"\x80" * (size - 44))
    assert len(out.getvalue()) == size
    return out.getvalue()


@pytest.fixture
def one_mb_recordings(settings, tmp_path):
    """Recordings limited to 1 MB, and uploads written to a temporary folder of the test's."""
    settings.JOURNAL_AUDIO_MAX_BYTES = settings.JOURNAL_VIDEO_MAX_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file
    settings.FILE_UPLOAD_HANDLERS = [
        "revans.core.limits.UploadLimitHandler",
        f"{__name__}.CountingTemporaryFileUploadHandler",
    ]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "temporary")
    (tmp_path / "temporary").mkdir()
    CountingTemporaryFileUploadHandler.most = 0
    return tmp_path / "temporary"


def test_a_recording_of_exactly_its_limit_is_kept(world, log, entry, one_mb_recordings):
    response = upload(world.client(world.mo), log, wav_of(1024 * 1024), "diary.wav", "audio/wav")
    assert response.status_code == 302
    assert Attachment.objects.get().size == 1024 * 1024
    assert list(one_mb_recordings.iterdir()) == []


def test_a_recording_one_byte_over_its_limit_is_refused_and_nothing_is_left(
    world, log, entry, media_root, one_mb_recordings
):
    response = upload(
        world.client(world.mo),
        log,
        wav_of(1024 * 1024 + 1),
        "diary.wav",
        "audio/wav",
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "That file is over 1 MB, so it was not uploaded." in response.text
    assert CountingTemporaryFileUploadHandler.most <= 1024 * 1024  # never more on disk
    assert list(one_mb_recordings.iterdir()) == []
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []
    assert not Entry.objects.filter(draft=True).exists()
