"""Checking what people upload to their learning logs: images, sketches, audio and video.

Every file is judged by its content, never by its name or the type the browser claims:

- An image must open in Pillow as PNG, JPEG, WebP or GIF, within a pixel budget and a memory
  budget, both judged from its header before it is decoded: a small file that declares a huge
  picture (a decompression bomb) is refused, and a JPEG photo too large to decode whole is
  decoded at a half, a quarter or an eighth of its size. It is then decoded and re-encoded from
  its pixels alone, which leaves its EXIF (camera, GPS position, time), XMP, comments, text
  chunks and colour profile behind (the colours are converted to sRGB first); the EXIF
  orientation is applied to the pixels, so photos stay upright. An animated GIF keeps its first
  frame only: a log is a document, and its exports print one.
- A recording must carry the signature of MP3, MP4/M4A/MOV, Ogg, WAV or WebM. Its length is read
  from the container (mutagen for MP3, MP4, Ogg and WAV; the EBML ``Duration`` for WebM). A WebM
  made by a browser's recorder often has no duration at all: then the length the browser's media
  element reported, sent with the upload, is used; failing that the recording is kept but counts
  for nothing, and the uploader is told so.

Sizes are limited twice: the upload views declare ``upload_limit`` to
``revans.core.limits.accepts_uploads``, whose upload handler stops keeping a file as soon as it
passes the largest size its kind allows (nothing past the limit is written to disk), and
``check_image`` and ``check_media`` check the exact limit for the kind they found.
"""

import io
import math
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    from mutagen import FileType  # imported where used: only audio and video need it

MAX_PIXELS = 50_000_000  # a 50-megapixel photo; more is refused before it is decoded
# The memory one decoded image may take: 4,096 × 4,096 pixels in colour. A 190 kB PNG can
# declare 7,000 × 7,000 pixels, which would take 190 MB to decode and as much again to re-encode.
MAX_DECODED_BYTES = 64 * 1024 * 1024
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
MAX_DURATION = 24 * 60 * 60  # seconds; a longer "length" is a broken or hostile header
DESCRIPTION_MAX = 300


class UploadRefused(ValueError):
    """The file is not one we keep; the message says why, in words for the uploader."""


@dataclass
class CheckedFile:
    """A file that passed the checks: the bytes to store and what we learnt about them."""

    kind: str  # "image", "audio" or "video" (a sketch is an image that the pad made)
    content_type: str
    content: bytes | None = None  # re-encoded image bytes; None keeps the uploaded file as it is
    width: int | None = None
    height: int | None = None
    duration: float | None = None


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def looks_like_image(head: bytes) -> bool:
    return head.startswith(IMAGE_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def largest_upload() -> int:
    """The largest attachment of any kind."""
    return max(
        settings.JOURNAL_IMAGE_MAX_BYTES,
        settings.JOURNAL_AUDIO_MAX_BYTES,
        settings.JOURNAL_VIDEO_MAX_BYTES,
    )


def upload_limit(head: bytes) -> int:
    """The limit for an attachment whose first bytes are ``head``: an image's, or else the
    larger of a recording's (audio or video is told only once the whole file is read)."""
    if looks_like_image(head[:16]):
        return settings.JOURNAL_IMAGE_MAX_BYTES
    return max(settings.JOURNAL_AUDIO_MAX_BYTES, settings.JOURNAL_VIDEO_MAX_BYTES)


# --- images ------------------------------------------------------------------------------------


def check_image(upload) -> CheckedFile:
    """An uploaded PNG, JPEG, WebP or GIF, opened, verified and re-encoded without metadata."""
    limit = settings.JOURNAL_IMAGE_MAX_BYTES
    if upload.size > limit:
        raise UploadRefused(f"That image is over {megabytes(limit)}; please make it smaller.")
    upload.seek(0)
    data = upload.read()
    not_an_image = UploadRefused("That file is not a PNG, JPEG, WebP or GIF image.")
    try:
        # Opening reads the header only: the size and mode are known before any decoding.
        with Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS)) as probe:
            fmt = probe.format
            if fmt is None:  # never for a file Pillow opened; said for the type
                raise not_an_image
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise UploadRefused(too_many_pixels(width, height))
            scale = reduction(fmt, width, height, probe.mode)
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            image.seek(0)  # an animated GIF keeps its first frame
            if scale > 1:
                image.draft(image.mode, (width // scale, height // scale))
                if decoded_bytes(*image.size, image.mode) > MAX_DECODED_BYTES:
                    raise UploadRefused(too_large_to_open(width, height))
            # In place: no second copy of the pixels when there is nothing to turn.
            ImageOps.exif_transpose(image, in_place=True)
            content = encode(image, fmt)
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(
            "That image declares more pixels than any photo has; it was refused."
        ) from None
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error, EOFError):
        raise not_an_image from None
    return CheckedFile(
        kind="image", content_type=IMAGE_FORMATS[fmt], content=content, width=width, height=height
    )


def decoded_bytes(width: int, height: int, mode: str) -> int:
    """The memory Pillow takes for the pixels: a byte a pixel for 1-bit, grey and palette
    images, two for 16-bit grey, four for the rest (it keeps RGB in four bytes too)."""
    per_pixel = 1 if mode in ("1", "L", "P") else 2 if mode.startswith("I;16") else 4
    return width * height * per_pixel


def reduction(fmt: str, width: int, height: int, mode: str) -> int:
    """1 when the image fits the memory budget; for a JPEG that does not, the smallest of 2, 4
    or 8 by which its decoder can shrink it to fit (it decodes straight to the smaller size);
    otherwise the image is refused."""
    if decoded_bytes(width, height, mode) <= MAX_DECODED_BYTES:
        return 1
    if fmt == "JPEG":
        for scale in (2, 4, 8):
            smaller = (math.ceil(width / scale), math.ceil(height / scale))
            if decoded_bytes(*smaller, mode) <= MAX_DECODED_BYTES:
                return scale
    raise UploadRefused(too_large_to_open(width, height))


def too_large_to_open(width: int, height: int) -> str:
    return (
        f"That image is {width:,} × {height:,} pixels, more than we can open; please make it "
        "smaller (a picture of 4,000 × 4,000 pixels fits)."
    )


def too_many_pixels(width: int, height: int) -> str:
    return (
        f"That image is {width:,} × {height:,} pixels, more than the "
        f"{MAX_PIXELS // 1_000_000} megapixels we accept; please make it smaller."
    )


SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def to_srgb(image: Image.Image) -> Image.Image:
    """A colour image with its own profile, converted to sRGB, so the profile (which can carry
    text of its own) need not be kept; a profile that cannot be read is dropped."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode == "CMYK":
            # Pillow's annotation allows None, returned only with inPlace=True.
            return ImageCms.profileToProfile(image, source, SRGB, outputMode="RGB")  # type: ignore[return-value]
        ImageCms.profileToProfile(image, source, SRGB, inPlace=True)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        pass
    return image


def encode(image: Image.Image, fmt: str) -> bytes:
    """The pixels alone, in the same format: no EXIF, XMP, colour profile, text chunks or
    comments. Pillow writes some of these from the image's own ``info`` unasked (a JPEG's
    comment, a PNG's profile), so ``info`` is emptied; only transparency, which is part of the
    picture, is passed on."""
    image = to_srgb(image)
    transparency = image.info.get("transparency")
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("L", "RGB", "CMYK"):
            image = image.convert("RGB")
        image.info = {}
        image.save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.info = {}
        image.save(out, "WEBP", quality=90)
    elif fmt == "GIF":
        image.info = {}
        if transparency is not None and image.mode == "P":
            image.save(out, "GIF", transparency=transparency)
        else:
            image.save(out, "GIF")
    else:
        if image.mode not in ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.info = {}
        if transparency is not None and image.mode in ("1", "L", "I", "I;16", "P", "RGB"):
            image.save(out, "PNG", optimize=True, transparency=transparency)
        else:
            image.save(out, "PNG", optimize=True)
    return out.getvalue()


# --- audio and video ---------------------------------------------------------------------------

AUDIO_TYPES = "MP3, M4A, Ogg, WAV or WebM"
VIDEO_TYPES = "MP4, MOV or WebM"


def sniff_media(head: bytes) -> str | None:
    """The container a recording's first bytes announce: mp3, mp4, ogg, wav or webm."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    return None


def check_media(upload, reported_duration: str = "") -> CheckedFile:
    """An uploaded audio or video recording, recognised by its container, with its length."""
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    container = sniff_media(head)
    if container is None:
        raise UploadRefused(
            f"That file is not a recording we can play back: audio as {AUDIO_TYPES}, "
            f"video as {VIDEO_TYPES}."
        )
    try:
        checked = READERS[container](upload)
    except UploadRefused:
        raise
    except Exception:  # mutagen and the EBML reader raise many kinds of error on bad files
        raise UploadRefused(
            "That recording could not be read: it may be damaged or only partly uploaded."
        ) from None
    finally:
        upload.seek(0)
    limit = (
        settings.JOURNAL_VIDEO_MAX_BYTES
        if checked.kind == "video"
        else settings.JOURNAL_AUDIO_MAX_BYTES
    )
    if upload.size > limit:
        raise UploadRefused(f"That {checked.kind} is over {megabytes(limit)}; please shorten it.")
    if checked.duration is None:
        checked.duration = parse_duration(reported_duration)
    if checked.duration is not None and not 0 <= checked.duration <= MAX_DURATION:
        raise UploadRefused("That recording says it lasts more than a day; it was refused.")
    return checked


def parse_duration(value: str) -> float | None:
    """The length in seconds the browser reported for the file, if it is a sensible number."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if 0 < seconds <= MAX_DURATION else None


def _length(audio: "FileType") -> float:
    """The length in seconds of a file mutagen has read."""
    # mutagen declares ``FileType.info = None`` and sets it as it reads the file, so its type
    # says None where a file read without error always has its stream's information.
    length: float = audio.info.length  # type: ignore[attr-defined]
    return length


def _mp3(upload) -> CheckedFile:
    from mutagen.mp3 import MP3

    return CheckedFile(kind="audio", content_type="audio/mpeg", duration=_length(MP3(upload)))


def _ogg(upload) -> CheckedFile:
    import mutagen
    from mutagen.oggflac import OggFLAC
    from mutagen.oggopus import OggOpus
    from mutagen.oggspeex import OggSpeex
    from mutagen.oggvorbis import OggVorbis

    found = mutagen.File(upload, options=[OggVorbis, OggOpus, OggFLAC, OggSpeex])
    if found is None:
        raise UploadRefused("That Ogg file holds no audio we can play back.")
    return CheckedFile(kind="audio", content_type="audio/ogg", duration=found.info.length)


def _wav(upload) -> CheckedFile:
    from mutagen.wave import WAVE

    return CheckedFile(kind="audio", content_type="audio/wav", duration=_length(WAVE(upload)))


def _mp4(upload) -> CheckedFile:
    """MP4, M4A and QuickTime: video if any track's handler is ``vide``, otherwise audio."""
    from mutagen.mp4 import MP4, Atoms

    upload.seek(8)
    brand = upload.read(4)
    upload.seek(0)
    atoms = Atoms(upload)
    handlers = set()
    for trak in atoms["moov"].findall(b"trak"):
        try:
            hdlr = trak[b"mdia", b"hdlr"]
        except KeyError:
            continue
        ok, data = hdlr.read(upload)
        if ok and len(data) >= 12:
            handlers.add(data[8:12])
    upload.seek(0)
    length = _length(MP4(upload))
    if b"vide" in handlers:
        content_type = "video/quicktime" if brand == b"qt  " else "video/mp4"
        return CheckedFile(kind="video", content_type=content_type, duration=length)
    if b"soun" in handlers:
        return CheckedFile(kind="audio", content_type="audio/mp4", duration=length)
    raise UploadRefused("That MP4 file holds neither sound nor pictures.")


def _webm(upload) -> CheckedFile:
    found = read_webm(upload)
    if not found["tracks"]:
        raise UploadRefused("That WebM file holds neither sound nor pictures.")
    video = 1 in found["tracks"]
    return CheckedFile(
        kind="video" if video else "audio",
        content_type="video/webm" if video else "audio/webm",
        duration=found["duration"],
    )


READERS = {"mp3": _mp3, "mp4": _mp4, "ogg": _ogg, "wav": _wav, "webm": _webm}

# EBML element ids (Matroska/WebM), as read with their length-marker bits kept.
EBML, DOCTYPE, SEGMENT, INFO, TIMESCALE, DURATION = 0x1A45DFA3, 0x4282, 0x18538067, 0x1549A966, 0x2AD7B1, 0x4489  # fmt: skip
TRACKS, TRACK_ENTRY, TRACK_TYPE, CLUSTER = 0x1654AE6B, 0xAE, 0x83, 0x1F43B675
UNKNOWN = -1  # a live recording's Segment size is "unknown": it runs to the end of the file


def _vint(stream, keep_marker: bool) -> tuple[int, int]:
    """One EBML variable-length integer: (value, bytes read)."""
    first = stream.read(1)
    if not first:
        raise EOFError
    byte = first[0]
    length = 1
    mask = 0x80
    while length <= 8 and not byte & mask:
        mask >>= 1
        length += 1
    if length > 8:
        raise ValueError("bad EBML length")
    rest = stream.read(length - 1)
    if len(rest) != length - 1:
        raise EOFError
    value = byte if keep_marker else byte & (mask - 1)
    all_ones = not keep_marker and value == mask - 1
    for b in rest:
        value = (value << 8) | b
        all_ones = all_ones and b == 0xFF
    return (UNKNOWN if all_ones else value), length


def _elements(stream, end: int | None):
    """(id, size, data offset) of the elements from here up to ``end`` (None: end of file)."""
    while end is None or stream.tell() < end:
        try:
            element, _ = _vint(stream, keep_marker=True)
            size, _ = _vint(stream, keep_marker=False)
        except EOFError:
            return
        start = stream.tell()
        yield element, size, start
        if size == UNKNOWN:
            return
        stream.seek(start + size)


def read_webm(stream) -> dict:
    """The track types (1 video, 2 audio) and the duration in seconds, if it says, of a WebM."""
    stream.seek(0)
    element, size = _vint(stream, True)[0], _vint(stream, False)[0]
    if element != EBML:
        raise UploadRefused("That is not a WebM file.")
    header_end = stream.tell() + size
    doctype = b""
    for child, child_size, start in _elements(stream, header_end):
        if child == DOCTYPE:
            stream.seek(start)
            doctype = stream.read(min(child_size, 16))
    if doctype.rstrip(b"\x00") != b"webm":
        raise UploadRefused("That is a Matroska file, not WebM; please upload WebM, MP4 or MOV.")
    stream.seek(header_end)
    timescale, duration, tracks = 1_000_000, None, set()
    for element, size, start in _elements(stream, None):
        if element != SEGMENT:
            continue
        segment_end = None if size == UNKNOWN else start + size
        for child, child_size, child_start in _elements(stream, segment_end):
            if child == CLUSTER:
                break  # the media itself: Info and Tracks come before it
            if child_size == UNKNOWN:
                break
            end = child_start + child_size
            if child == INFO:
                for item, item_size, item_start in _elements(stream, end):
                    stream.seek(item_start)
                    raw = stream.read(item_size)
                    if item == TIMESCALE:
                        timescale = int.from_bytes(raw, "big") or timescale
                    elif item == DURATION and item_size in (4, 8):
                        duration = struct.unpack(">f" if item_size == 4 else ">d", raw)[0]
                    stream.seek(item_start + item_size)
                stream.seek(end)
            elif child == TRACKS:
                for item, item_size, item_start in _elements(stream, end):
                    if item != TRACK_ENTRY:
                        continue
                    entry_end = item_start + item_size
                    for field, field_size, field_start in _elements(stream, entry_end):
                        if field == TRACK_TYPE:
                            stream.seek(field_start)
                            tracks.add(int.from_bytes(stream.read(field_size), "big"))
                        stream.seek(field_start + field_size)
                    stream.seek(entry_end)
                stream.seek(end)
        break
    seconds = duration * timescale / 1e9 if duration is not None and duration > 0 else None
    return {"tracks": tracks, "duration": seconds}


# --- HTTP ranges -------------------------------------------------------------------------------


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``bytes=START-END`` (one range only) as inclusive offsets within ``size``; None when the
    header asks for something else (several ranges, another unit), which is then ignored and the
    whole file sent; ``(size, size)`` when it asks for nothing the file has (416)."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            if not last.isdigit():
                return None
            length = int(last)
            if length == 0:
                return (size, size)
            return (max(size - length, 0), size - 1)
        if not first.isdigit() or (last and not last.isdigit()):
            return None
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size or end < start:
        return (size, size)
    return (start, min(end, size - 1))
