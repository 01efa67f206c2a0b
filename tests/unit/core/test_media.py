"""Media probing (Pillow, PyAV) and thumbnails, on real files."""

from __future__ import annotations

import pytest

from services.core.media import (
    MediaRejected,
    MediaTooLarge,
    MediaUnsupported,
    make_thumbnail,
    media_type_for_extension,
    probe_file,
)
from tests.support import media

LIMIT = 178_956_970


def probe(tmp_path, name: str, data: bytes, limit: int = LIMIT):
    path = tmp_path / "spooled"  # the service's temporary name: messages must name the upload instead
    path.write_bytes(data)
    return probe_file(path, file_name=name, max_pixels=limit)


@pytest.mark.parametrize("fmt,name,media_type", [("PNG", "a.png", "image/png"), ("JPEG", "a.jpg", "image/jpeg"),
                                                 ("JPEG", "a.JPEG", "image/jpeg"), ("TIFF", "a.tif", "image/tiff"),
                                                 ("TIFF", "a.tiff", "image/tiff"), ("GIF", "a.gif", "image/gif"),
                                                 ("WEBP", "a.webp", "image/webp"), ("BMP", "a.bmp", "image/bmp")])
def test_images_are_read_from_their_content(tmp_path, fmt, name, media_type):
    info = probe(tmp_path, name, media.image_bytes(40, 30, fmt=fmt))
    assert (info.kind, info.media_type, info.format, info.width, info.height) == ("image", media_type, fmt, 40, 30)


def test_a_video_gives_its_size_frames_rate_and_duration(tmp_path):
    info = probe(tmp_path, "clip.mp4", media.video_bytes(frames=12, fps=12, width=64, height=48))
    assert (info.kind, info.media_type, info.width, info.height, info.frames) == ("video", "video/mp4", 64, 48, 12)
    assert info.fps == pytest.approx(12) and info.duration == pytest.approx(1.0, abs=0.1)
    assert probe(tmp_path, "clip.mov", media.video_bytes()).media_type == "video/quicktime"


def test_a_truncated_image_is_refused_naming_the_file(tmp_path):
    data = media.image_bytes(300, 200, fmt="PNG")
    with pytest.raises(MediaRejected, match=r"^cut\.png: the image is truncated or corrupt"):
        probe(tmp_path, "cut.png", data[: len(data) // 2])


def test_an_image_bomb_is_refused_from_its_header(tmp_path):
    with pytest.raises(MediaTooLarge, match=r"^huge\.png: 30000x30000 pixels is more than the limit"):
        probe(tmp_path, "huge.png", media.png_header_only(30_000, 30_000))
    with pytest.raises(MediaTooLarge):
        probe(tmp_path, "a.png", media.image_bytes(40, 30), limit=1000)


@pytest.mark.parametrize("name,data,message", [
    ("photo.png", media.image_bytes(fmt="JPEG"), "the content is a JPEG image, which does not match the extension .png"),
    ("notes.png", b"just some text\n", "not a supported image"),
    ("clip.avi", None, "does not match the extension .avi"),
    ("image", media.image_bytes(), "does not match the extension (none)"),
    ("doc.pdf", b"%PDF-1.4\n%\xe2\xe3\n", "not a supported image"),
])
def test_unsupported_or_mislabelled_files_are_refused(tmp_path, name, data, message):
    with pytest.raises(MediaUnsupported, match=message.replace("(", r"\(").replace(")", r"\)")):
        probe(tmp_path, name, data if data is not None else media.video_bytes())


def test_large_images_get_a_thumbnail_small_ones_do_not(tmp_path):
    path = tmp_path / "big.jpg"
    path.write_bytes(media.image_bytes(1200, 600, fmt="JPEG"))
    thumb = make_thumbnail(path, max_size=512)
    assert (thumb.media_type, thumb.width, thumb.height) == ("image/jpeg", 512, 256)
    assert thumb.data[:2] == b"\xff\xd8"
    path.write_bytes(media.image_bytes(100, 80))
    assert make_thumbnail(path, max_size=512) is None


def test_media_types_follow_extensions():
    assert media_type_for_extension("png") == "image/png" and media_type_for_extension(".JPG") == "image/jpeg"
    assert media_type_for_extension("exe") == "application/octet-stream"
