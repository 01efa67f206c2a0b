"""What a media file is, decided from its content: images with Pillow (fully decoded, so a
truncated file is caught), videos with PyAV (FFmpeg). Refusals name the file and say why:
422 corrupt or truncated, 413 more pixels than allowed, 415 not a supported image or video, or
content that does not match the file's extension. Also: JPEG thumbnails of large images."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from services.core.errors import InvalidArgument, PayloadTooLarge, UnsupportedMediaType

# Pillow format → (media type, extensions that may carry it).
IMAGE_FORMATS = {
    "PNG": ("image/png", (".png",)),
    "JPEG": ("image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif")),
    "TIFF": ("image/tiff", (".tif", ".tiff")),
    "GIF": ("image/gif", (".gif",)),
    "BMP": ("image/bmp", (".bmp",)),
    "WEBP": ("image/webp", (".webp",)),
}
# FFmpeg demuxer alias → the extensions its files may carry (one demuxer reads MP4 and MOV, one
# Matroska and WebM); the media type follows the extension.
VIDEO_FORMATS = {
    "mp4": (".mp4", ".m4v", ".mov"),
    "matroska": (".mkv", ".webm"),
    "avi": (".avi",),
}
VIDEO_MEDIA_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime",
                     ".mkv": "video/x-matroska", ".webm": "video/webm", ".avi": "video/x-msvideo"}
EXTENSIONS = {
    "image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif", "image/gif": "gif", "image/bmp": "bmp",
    "image/webp": "webp", "video/mp4": "mp4", "video/quicktime": "mov", "video/x-matroska": "mkv",
    "video/webm": "webm", "video/x-msvideo": "avi",
}
MEDIA_TYPES = {ext: media_type for media_type, ext in EXTENSIONS.items()} | {"jpeg": "image/jpeg",
                                                                             "tiff": "image/tiff"}


class MediaRejected(InvalidArgument):
    """A corrupt or truncated file (422)."""


class MediaTooLarge(PayloadTooLarge):
    """More pixels than allowed (413)."""


class MediaUnsupported(UnsupportedMediaType):
    """Not a supported image or video, or not what its extension says (415)."""


@dataclass(frozen=True)
class MediaInfo:
    kind: str  # "image" | "video"
    media_type: str
    format: str
    width: int
    height: int
    frames: int | None = None
    fps: float | None = None
    duration: float | None = None  # seconds


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    media_type: str
    width: int
    height: int


def extension_for_media_type(media_type: str) -> str:
    return EXTENSIONS.get(media_type, "bin")


def media_type_for_extension(extension: str) -> str:
    return MEDIA_TYPES.get(extension.lower().lstrip("."), "application/octet-stream")


def _suffix(file_name: str) -> str:
    return Path(file_name).suffix.lower()


# A file to probe: on disk, or (small files) already in memory.
Source = Path | bytes


def _readable(source: Source):
    return source if isinstance(source, Path) else io.BytesIO(source)


def probe_file(source: Source, *, file_name: str, max_pixels: int) -> MediaInfo:
    """Decide what ``source`` holds; raise a ``MediaRejected``/``MediaTooLarge``/``MediaUnsupported``
    naming ``file_name`` when it cannot be taken. Blocking: call it from a worker thread."""
    image = _probe_image(source, file_name=file_name, max_pixels=max_pixels)
    if image is not None:
        return image
    video = _probe_video(source, file_name=file_name, max_pixels=max_pixels)
    if video is not None:
        return video
    raise MediaUnsupported(f"{file_name}: not a supported image (PNG, JPEG, TIFF, GIF, BMP, WEBP) or video "
                           f"(MP4, MOV, MKV, WEBM, AVI)")


def _probe_image(source: Source, *, file_name: str, max_pixels: int) -> MediaInfo | None:
    from PIL import Image, UnidentifiedImageError

    # The pixel limit is checked below from the header, before decoding anything, with a message
    # that names the size; Pillow's own (global) guard would only repeat it less clearly.
    Image.MAX_IMAGE_PIXELS = None
    try:
        img = Image.open(_readable(source))  # reads the header only
    except UnidentifiedImageError:
        return None
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaRejected(f"{file_name}: the image is truncated or corrupt ({exc})") from None
    with img:
        fmt = img.format or ""
        if fmt not in IMAGE_FORMATS:
            raise MediaUnsupported(f"{file_name}: {fmt or 'this'} images are not supported "
                                   f"(PNG, JPEG, TIFF, GIF, BMP, WEBP are)")
        media_type, extensions = IMAGE_FORMATS[fmt]
        if _suffix(file_name) not in extensions:
            raise MediaUnsupported(f"{file_name}: the content is a {fmt} image, which does not match the "
                                   f"extension {_suffix(file_name) or '(none)'}")
        width, height = img.size
        if width <= 0 or height <= 0:
            raise MediaRejected(f"{file_name}: the image has no pixels")
        if width * height > max_pixels:
            raise MediaTooLarge(f"{file_name}: {width}x{height} pixels is more than the limit of {max_pixels}")
        try:
            img.load()
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise MediaRejected(f"{file_name}: the image is truncated or corrupt ({exc})") from None
    return MediaInfo(kind="image", media_type=media_type, format=fmt, width=width, height=height)


def _probe_video(source: Source, *, file_name: str, max_pixels: int) -> MediaInfo | None:
    import av

    try:
        container = av.open(str(source) if isinstance(source, Path) else io.BytesIO(source), mode="r")
    except av.error.InvalidDataError:
        return None
    except av.FFmpegError as exc:
        raise MediaRejected(f"{file_name}: the video cannot be read ({exc})") from None
    with container:
        names = container.format.name.split(",")
        extensions = next((VIDEO_FORMATS[n] for n in names if n in VIDEO_FORMATS), None)
        if extensions is None or not container.streams.video:
            return None  # audio, subtitles, images FFmpeg also reads…: not a video we take
        if _suffix(file_name) not in extensions:
            raise MediaUnsupported(f"{file_name}: the content is a {names[0].upper()} video, which does not "
                                   f"match the extension {_suffix(file_name) or '(none)'}")
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        if width * height > max_pixels:
            raise MediaTooLarge(f"{file_name}: {width}x{height} pixels is more than the limit of {max_pixels}")
        fps = float(stream.average_rate) if stream.average_rate else None
        try:
            frames = stream.frames
            decoded = 0
            for packet in container.demux(stream):
                for _frame in packet.decode():
                    decoded += 1
                    break
                if decoded:
                    break
            if not decoded:
                raise MediaRejected(f"{file_name}: the video has no decodable frame")
            if not frames:  # the container does not say: count the packets
                container.seek(0)
                frames = sum(1 for p in container.demux(stream) if p.size)
        except av.FFmpegError as exc:
            raise MediaRejected(f"{file_name}: the video is truncated or corrupt ({exc})") from None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000
        else:
            duration = frames / fps if fps else None
    return MediaInfo(kind="video", media_type=VIDEO_MEDIA_TYPES[_suffix(file_name)], format=names[0], width=width, height=height,
                     frames=frames, fps=fps, duration=duration)


def make_thumbnail(source: Source, *, max_size: int) -> Thumbnail | None:
    """A JPEG copy that fits in ``max_size`` × ``max_size`` (aspect kept; transparency flattened
    on white), or None when the image already fits. Blocking."""
    from PIL import Image

    with Image.open(_readable(source)) as img:
        if img.width <= max_size and img.height <= max_size:
            return None
        if img.format == "JPEG":
            img.draft("RGB", (max_size, max_size))  # decode at a reduced scale: much faster
        if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
            rgba = img.convert("RGBA")
            small = Image.new("RGB", rgba.size, "white")
            small.paste(rgba, mask=rgba.getchannel("A"))
        else:
            small = img.convert("RGB")
        small.thumbnail((max_size, max_size))
        out = io.BytesIO()
        small.save(out, format="JPEG", quality=85)
        return Thumbnail(data=out.getvalue(), media_type="image/jpeg", width=small.width, height=small.height)
