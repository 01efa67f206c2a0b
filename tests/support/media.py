"""Real media for tests and benchmarks: images in several formats, a short video, zip archives,
and hostile variants (truncated, oversized, mislabelled, zip slip, symlink, zip bomb)."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Iterable


def image_bytes(width: int = 32, height: int = 24, *, fmt: str = "PNG", seed: int = 0) -> bytes:
    """A noise image: every seed gives different content (blobs are content-addressed)."""
    from PIL import Image

    rng = random.Random(seed)
    img = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    img.save(out, format=fmt)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels with a few bytes of data: an image bomb
    that must be refused from its header, before anything is decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + \
        chunk(b"IEND", b"")


def video_bytes(*, frames: int = 12, width: int = 64, height: int = 48, fps: int = 12) -> bytes:
    """A short MPEG-4 video in an MP4 container, encoded with PyAV."""
    import av
    import numpy as np

    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(frames):
            pixels = np.full((height, width, 3), (i * 20) % 256, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def zip_bytes(members: Iterable[tuple[str, bytes]], *, compression: int = zipfile.ZIP_STORED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return out.getvalue()


def write_zip(path: Path, members: Iterable[tuple[str, bytes]]) -> Path:
    path.write_bytes(zip_bytes(members))
    return path


def zip_with_symlink(name: str = "link.png", target: str = "/etc/passwd") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("ok.png", image_bytes(seed=99))
        info = zipfile.ZipInfo(name)
        info.create_system = 3  # Unix, so the mode bits below are read
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, target)
    return out.getvalue()


def zip_bomb(inflated_bytes: int = 64 * 1024**2) -> bytes:
    """One member that inflates ~1,000 times, to ``inflated_bytes`` of zeros."""
    out = io.BytesIO()
    info = zipfile.ZipInfo("bomb.png")
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w") as zf:
        with zf.open(info, "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(inflated_bytes // len(block)):
                member.write(block)
    return out.getvalue()
