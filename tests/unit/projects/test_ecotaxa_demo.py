"""Synthetic EcoTaxa archives: layout, TSV format, images, the announced mix, reproducibility, the CLI."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath

import pytest
from PIL import Image

from services.core.cli import main
from services.projects.domain.ecotaxa.demo import COLUMNS, write_archive

STARTER_TAXONOMY = Path(__file__).resolve().parents[3] / "services/ontology/data/starter_taxonomy.tsv"
HEADER = [name for name, _ in COLUMNS]
ANNOTATORS = (("Jane Doe", "jane@example.org"), ("Rémi Côté", "remi@example.org"))
OBJECTS = 2000


def read_archive(path: Path) -> dict[str, list[dict[str, str]]]:
    """Rows of every TSV, by TSV path, after checking the header, type row and widths."""
    tables = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not name.endswith(".tsv"):
                continue
            raw = zf.read(name)
            assert b"\r" not in raw and raw.endswith(b"\n")
            header, types, *lines = raw.decode("utf-8").split("\n")[:-1]
            assert header.split("\t") == HEADER
            assert types.split("\t") == [kind for _, kind in COLUMNS]
            rows = [line.split("\t") for line in lines]
            assert rows and all(len(row) == len(HEADER) for row in rows)
            tables[name] = [dict(zip(HEADER, row)) for row in rows]
    return tables


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("ecotaxa") / "demo.zip"
    summary = write_archive(path, objects=OBJECTS, seed=0, annotators=ANNOTATORS)
    return path, summary, read_archive(path)


def all_rows(tables):
    return [row for rows in tables.values() for row in rows]


def test_one_tsv_per_sample_folder_next_to_its_images(archive):
    path, _, tables = archive
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        folders = {PurePosixPath(name).parent.name for name in names}
        assert sorted(tables) == sorted(f"{folder}/ecotaxa_{folder}.tsv" for folder in folders)
        referenced = set()
        for tsv, rows in tables.items():
            folder = PurePosixPath(tsv).parent
            for row in rows:
                assert row["sample_id"] == folder.name
                image = str(folder / row["img_file_name"])
                referenced.add(image)
                with Image.open(io.BytesIO(zf.read(image))) as picture:
                    picture.load()
                    assert picture.format == "PNG" and 48 <= picture.width <= 96
        assert referenced == {name for name in names if not name.endswith(".tsv")}
        assert len({zf.read(name) for name in referenced}) >= 256


def test_objects_and_their_second_images(archive):
    _, _, tables = archive
    rows = all_rows(tables)
    keys = [(row["object_id"], row["img_rank"]) for row in rows]
    assert len(keys) == len(set(keys))
    by_object: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_object.setdefault(row["object_id"], []).append(row)
    assert len(by_object) == OBJECTS
    doubles = [lines for lines in by_object.values() if len(lines) == 2]
    assert 0.05 * OBJECTS < len(doubles) < 0.15 * OBJECTS
    for first, second in doubles:
        assert (first["img_rank"], second["img_rank"]) == ("0", "1")
        assert first["img_file_name"] != second["img_file_name"]
        assert {k: v for k, v in first.items() if not k.startswith("img_")} == \
               {k: v for k, v in second.items() if not k.startswith("img_")}
    assert all(len(lines) in (1, 2) for lines in by_object.values())


def test_summary_matches_the_tsvs(archive):
    _, summary, tables = archive
    rows = all_rows(tables)
    firsts = [row for row in rows if row["img_rank"] == "0"]
    assert summary.objects == len(firsts) == OBJECTS
    assert summary.images == len(rows)
    assert summary.samples == len(tables) == 4
    assert summary.acquisitions == len({row["acq_id"] for row in rows})
    statuses = Counter(row["object_annotation_status"] for row in firsts)
    assert summary.statuses == {status: statuses[status] for status in
                                ("predicted", "validated", "dubious", "discarded", "")}
    assert summary.categories == dict(Counter(row["object_annotation_category"] for row in firsts))


def test_statuses_and_categories_are_mixed_as_announced(archive):
    _, summary, tables = archive
    shares = {"predicted": 0.40, "validated": 0.30, "dubious": 0.10, "discarded": 0.05, "": 0.15}
    for status, share in shares.items():
        assert abs(summary.statuses[status] / OBJECTS - share) < 0.04, status
    rows = [line.split("\t") for line in STARTER_TAXONOMY.read_text(encoding="utf-8").splitlines()[1:]]
    names = {row[0]: row[2] for row in rows}
    # A plain name, or EcoTaxa's "name (parent)" form for a name several taxa share.
    starter = {row[2] for row in rows} | {f"{row[2]} ({names[row[1]]})" for row in rows if row[1]}
    used = set(summary.categories) - {""}
    assert len(used) >= 8 and used <= starter
    for row in all_rows(tables):
        assert bool(row["object_annotation_status"]) == bool(row["object_annotation_category"])


def test_annotators_only_on_validated_and_dubious_lines(archive):
    _, _, tables = archive
    for row in all_rows(tables):
        annotation = (row["object_annotation_person_name"], row["object_annotation_person_email"])
        stamps = (row["object_annotation_date"], row["object_annotation_time"])
        if row["object_annotation_status"] in ("validated", "dubious"):
            assert annotation in ANNOTATORS
            assert "20140101" <= stamps[0] <= "20161231" and stamps[0] > row["object_date"]
            assert len(stamps[1]) == 6 and stamps[1] < "240000"
        else:
            assert annotation == ("", "") and stamps == ("", "")


def test_samples_acquisitions_and_object_values(archive):
    _, _, tables = archive
    hours = set()
    for rows in tables.values():
        sample = {column: {row[column] for row in rows} for column in ("sample_id", "sample_ship", "sample_station")}
        assert all(len(values) == 1 for values in sample.values())
        acquisitions = {row["acq_id"] for row in rows}
        assert 1 <= len(acquisitions) <= 2
        assert all(acq.startswith(rows[0]["sample_id"] + "_a") for acq in acquisitions)
        lats = [float(row["object_lat"]) for row in rows]
        lons = [float(row["object_lon"]) for row in rows]
        assert len(set(lats)) > 1 and max(lats) - min(lats) < 0.2 and max(lons) - min(lons) < 0.2
        for row in rows:
            assert row["process_id"] == row["acq_id"] + "_p"
            assert float(row["object_depth_min"]) < float(row["object_depth_max"])
            assert "20140101" <= row["object_date"] <= "20161231" and len(row["object_date"]) == 8
            assert len(row["object_time"]) == 6 and row["object_time"] < "240000"
            hours.add(int(row["object_time"][:2]))
            assert float(row["object_area"]) > 0 and 0 < float(row["object_circ."]) <= 1
    assert hours == set(range(24))


def test_same_seed_same_bytes(tmp_path):
    first = write_archive(tmp_path / "a.zip", objects=300, samples=2, seed=1)
    second = write_archive(tmp_path / "b.zip", objects=300, samples=2, seed=1)
    other = write_archive(tmp_path / "c.zip", objects=300, samples=2, seed=0)
    assert first == second != other
    with zipfile.ZipFile(tmp_path / "a.zip") as a, zipfile.ZipFile(tmp_path / "b.zip") as b, \
            zipfile.ZipFile(tmp_path / "c.zip") as c:
        tsvs = [name for name in a.namelist() if name.endswith(".tsv")]
        assert len(tsvs) == 2
        for name in tsvs:
            assert a.read(name) == b.read(name) != c.read(name)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_without_annotators_no_line_is_attributed(tmp_path):
    write_archive(tmp_path / "a.zip", objects=200)
    for row in all_rows(read_archive(tmp_path / "a.zip")):
        assert row["object_annotation_person_name"] == row["object_annotation_person_email"] == ""
        assert row["object_annotation_date"] == row["object_annotation_time"] == ""


def test_sample_count_and_arguments(tmp_path):
    assert write_archive(tmp_path / "one.zip", objects=1).samples == 1
    assert write_archive(tmp_path / "few.zip", objects=1400).samples == 3
    assert write_archive(tmp_path / "each.zip", objects=5, samples=5).samples == 5
    for bad in ({"objects": 0}, {"objects": 5, "samples": 6}, {"objects": 5, "samples": 0},
                {"objects": 5, "annotators": [("", "x@example.org")]}):
        with pytest.raises(ValueError):
            write_archive(tmp_path / "bad.zip", **bad)
    assert not (tmp_path / "bad.zip").exists() and not (tmp_path / "bad.zip.part").exists()


def test_progress_reports_every_object_in_steps(tmp_path):
    steps = []
    write_archive(tmp_path / "a.zip", objects=2500, progress=steps.append)
    assert sum(steps) == 2500 and max(steps) <= 1000 and len(steps) <= 5


def test_cli_writes_the_archive(tmp_path, monkeypatch, capsys):
    out = tmp_path / "cli.zip"
    assert main(["demo", "ecotaxa-archive", "--objects", "60", "--samples", "2", "--seed", "1",
                 "--annotator", "Jane Doe <jane@example.org>", "--out", str(out)]) == 0
    assert "60 objects, " in capsys.readouterr().out
    rows = all_rows(read_archive(out))
    assert {row["object_annotation_person_name"] for row in rows} <= {"Jane Doe", ""}
    assert len({row["sample_id"] for row in rows}) == 2

    monkeypatch.chdir(tmp_path)
    assert main(["demo", "ecotaxa-archive", "--objects", "3"]) == 0
    assert zipfile.ZipFile(tmp_path / "ecotaxa_demo_3.zip").testzip() is None


@pytest.mark.parametrize("args", [["--annotator", "Jane Doe"], ["--annotator", "<jane@example.org>"],
                                  ["--annotator", "Jane <not an email>"], ["--samples", "20"]])
def test_cli_refuses_bad_arguments(tmp_path, capsys, args):
    out = tmp_path / "refused.zip"
    assert main(["demo", "ecotaxa-archive", "--objects", "10", "--out", str(out), *args]) == 2
    assert "error:" in capsys.readouterr().err
    assert not out.exists()
