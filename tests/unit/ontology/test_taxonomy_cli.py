"""``copepod taxonomy import FILE`` as a real process: idempotent, all or nothing, errors per line."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from services.ontology.domain.taxonomy.starter import STARTER_FILE


def _copepod(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COPEPOD_DATA_DIR": str(tmp_path), "COPEPOD_SECRET_KEY": "cli-test-secret-0123456789abcdef"}
    env.pop("COPEPOD_DATABASE_URL", None)
    env.pop("COPEPOD_ONTOLOGY_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "services.core.cli", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def _count(tmp_path, sql: str) -> int:
    with sqlite3.connect(tmp_path / "ontology.db") as db:
        return db.execute(sql).fetchone()[0]


def test_import_is_idempotent_and_announced(tmp_path):
    run = _copepod(tmp_path, "taxonomy", "import", str(STARTER_FILE))
    assert run.returncode == 0, run.stderr
    total = _count(tmp_path, "SELECT count(*) FROM taxon")
    assert total >= 300
    assert f"{total} created" in run.stdout
    assert "written [" in run.stderr and f"{total}/{total}" in run.stderr
    assert _count(tmp_path, "SELECT count(*) FROM outbox_event WHERE subject = 'copepod.ontology.taxon.created'") == 1

    again = _copepod(tmp_path, "taxonomy", "import", str(STARTER_FILE))
    assert again.returncode == 0, again.stderr
    assert f"0 created, 0 renamed, 0 updated, {total} unchanged" in again.stdout
    assert _count(tmp_path, "SELECT count(*) FROM taxon") == total


def test_csv_upserts_by_id(tmp_path):
    first = tmp_path / "a.csv"
    first.write_text("id,parent_id,name,rank,aphia_id\n1,,Biota,,1\n2,1,Calanus,Genus,104152\n")
    assert _copepod(tmp_path, "taxonomy", "import", str(first)).returncode == 0
    second = tmp_path / "b.csv"
    second.write_text("id,parent_id,name,rank,aphia_id,type\n2,1,Calanus,Genus,104152,P\n3,2,Calanus,Species,,P\n")
    run = _copepod(tmp_path, "taxonomy", "import", str(second))
    assert run.returncode == 0, run.stderr
    assert "1 created, 1 renamed" in run.stdout
    with sqlite3.connect(tmp_path / "ontology.db") as db:
        names = dict(db.execute("SELECT id, display_name FROM taxon").fetchall())
    assert names == {1: "Biota", 2: "Calanus<Biota", 3: "Calanus<Calanus"}


def test_an_invalid_line_writes_nothing(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tparent_id\tname\trank\taphia_id\n1\t\tBiota\t\t\nx\t1\tFoo\t\t\n3\t42\tBar\t\t\n")
    run = _copepod(tmp_path, "taxonomy", "import", str(bad))
    assert run.returncode == 1
    assert "bad.tsv:3: id: not an integer" in run.stderr
    assert "bad.tsv:4: parent_id: unknown taxon 42" in run.stderr
    assert "nothing imported (2 error(s))" in run.stderr
    assert _count(tmp_path, "SELECT count(*) FROM taxon") == 0


def test_a_missing_file_is_refused(tmp_path):
    run = _copepod(tmp_path, "taxonomy", "import", str(tmp_path / "nope.tsv"))
    assert run.returncode == 2 and "no such file" in run.stderr
