"""Archive safety: what inspect_zip refuses before anything is extracted, and streamed members."""

from __future__ import annotations

import zipfile

import pytest

from services.core.archives import ArchiveRejected, ArchiveTooLarge, extract_member, inspect_zip, open_member
from tests.support import media


def archive(tmp_path, data: bytes, name: str = "upload.zip"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_clean_archive_lists_its_data_members(tmp_path):
    path = archive(tmp_path, media.zip_bytes([("a/x.png", b"1"), ("a/", b""), ("__MACOSX/a/._x.png", b"2"),
                                              (".DS_Store", b"3"), ("./b.png", b"44")]))
    members = inspect_zip(path, max_members=10, max_total_bytes=100)
    assert [(m.name, m.size) for m in members] == [("a/x.png", 1), ("b.png", 2)]
    with zipfile.ZipFile(path) as zf:
        assert b"".join(open_member(zf, members[1])) == b"44"
        assert extract_member(zf, members[0], tmp_path / "out") == 1


@pytest.mark.parametrize("name,data,error,message", [
    ("slip", media.zip_bytes([("../../evil.png", b"x")]), ArchiveRejected, "points outside the archive"),
    ("nested slip", media.zip_bytes([("a/../../evil.png", b"x")]), ArchiveRejected, "points outside the archive"),
    ("absolute", media.zip_bytes([("/etc/cron.d/x", b"x")]), ArchiveRejected, "absolute path"),
    ("drive", media.zip_bytes([("C:/x.png", b"x")]), ArchiveRejected, "absolute path"),
    ("backslash", media.zip_bytes([("..\\evil.png", b"x")]), ArchiveRejected, "backslash"),
    ("symlink", media.zip_with_symlink(), ArchiveRejected, "is a symbolic link"),
    ("bomb", media.zip_bomb(), ArchiveTooLarge, "zip bomb"),
    ("duplicate", media.zip_bytes([("a.png", b"1"), ("a.png", b"2")]), ArchiveRejected, "appears twice"),
    ("not a zip", b"PK\x03\x04 but nothing else", ArchiveRejected, "not a readable zip archive"),
    ("too many", media.zip_bytes([(f"{i}.png", b"x") for i in range(11)]), ArchiveRejected, "more than the limit"),
    ("too big", media.zip_bytes([("a.png", b"x" * 6000), ("b.png", b"y" * 6000)]), ArchiveTooLarge, "in all"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "")
def test_hostile_archives_are_refused_before_anything_is_extracted(tmp_path, name, data, error, message):
    with pytest.raises(error, match=message):
        inspect_zip(archive(tmp_path, data), max_members=10, max_total_bytes=10_000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["upload.zip"]


def test_an_encrypted_member_is_refused(tmp_path):
    data = bytearray(media.zip_bytes([("a.png", b"secret")]))
    # Set the "encrypted" flag bit in both the local header and the central directory.
    data[6] |= 0x1
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1
    with pytest.raises(ArchiveRejected, match="is encrypted"):
        inspect_zip(archive(tmp_path, bytes(data)), max_members=10, max_total_bytes=100)


def _where(info: zipfile.ZipInfo) -> dict:
    return {"offset": info.header_offset, "compress_type": info.compress_type, "compress_size": info.compress_size,
            "size": info.file_size, "crc": info.CRC, "name": info.filename}


def test_mapped_members_read_as_zipfile_reads_them(tmp_path):
    from services.core.archives import MappedArchive

    big = bytes(range(256)) * 5000  # deflated, more than one inflating step
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("stored.bin"), b"plain bytes")
        z.writestr("deflated.bin", big, compress_type=zipfile.ZIP_DEFLATED)
    mapped = MappedArchive(path)
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                assert mapped.read_at(**_where(info)) == z.read(info)
                with mapped.open_at(**_where(info)) as stream:
                    assert b"".join(iter(lambda: stream.read(1000), b"")) == z.read(info)
            info = z.getinfo("deflated.bin")
            with pytest.raises(ArchiveRejected, match="does not match its directory entry"):
                mapped.read_at(**{**_where(info), "crc": info.CRC ^ 1})
            with pytest.raises(ArchiveRejected, match="holds more than it declares|does not match"):
                mapped.read_at(**{**_where(info), "size": 10})
            with pytest.raises(ArchiveRejected, match="cut short"):
                mapped.read_at(**{**_where(info), "compress_size": 10**9})
            with pytest.raises(ArchiveRejected, match="bad local header"):
                mapped.read_at(**{**_where(info), "offset": 3})
    finally:
        mapped.close()
