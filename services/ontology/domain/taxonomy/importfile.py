"""Reading a taxonomy file (TSV or CSV; columns id, parent_id, name, rank, aphia_id[, type]).

Every line is checked before anything is written; each problem is reported with its line
number (the header is line 1)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from services.ontology.domain.taxonomy.model import MAX_NAME, MAX_RANK, PHYLO, TYPES, TaxonNode

REQUIRED = ("id", "parent_id", "name", "rank", "aphia_id")
INT64_MAX = (1 << 63) - 1


@dataclass
class ParsedFile:
    nodes: list[TaxonNode] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def sniff_delimiter(*, text: str, filename: str = "") -> str:
    lower = filename.lower()
    if lower.endswith((".tsv", ".tab", ".txt")):
        return "\t"
    if lower.endswith(".csv"):
        return ","
    header = text.split("\n", 1)[0]
    return "\t" if header.count("\t") >= header.count(",") else ","


def _int(value: str, *, column: str, optional: bool) -> tuple[int | None, str | None]:
    value = value.strip()
    if not value:
        return (None, None) if optional else (None, f"{column}: required")
    try:
        number = int(value)
    except ValueError:
        return None, f"{column}: not an integer: {value[:40]!r}"
    if not 0 < number <= INT64_MAX:
        return None, f"{column}: must be a positive 64-bit integer"
    return number, None


def parse(*, text: str, filename: str = "", known_ids: set[int] | frozenset[int] = frozenset()) -> ParsedFile:
    """Taxa of the file and the problems found; a parent must be in the file or in ``known_ids``."""
    out = ParsedFile()
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text=text, filename=filename))
    rows = list(reader)
    if not rows:
        out.errors.append((1, "empty file: a header with id, parent_id, name, rank, aphia_id is required"))
        return out
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        out.errors.append((1, f"missing column(s): {', '.join(missing)}"))
        return out
    col = {name: header.index(name) for name in (*REQUIRED, "type") if name in header}
    lines: dict[int, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        problems = []
        tid, err = _int(row[col["id"]], column="id", optional=False)
        problems += [err] if err else []
        parent, err = _int(row[col["parent_id"]], column="parent_id", optional=True)
        problems += [err] if err else []
        aphia, err = _int(row[col["aphia_id"]], column="aphia_id", optional=True)
        problems += [err] if err else []
        name = " ".join(row[col["name"]].split())
        if not name:
            problems.append("name: required")
        elif len(name) > MAX_NAME or "<" in name:
            problems.append(f"name: at most {MAX_NAME} characters, without '<'")
        rank = row[col["rank"]].strip()
        if len(rank) > MAX_RANK:
            problems.append(f"rank: at most {MAX_RANK} characters")
        kind = row[col["type"]].strip().upper() if "type" in col else ""
        kind = kind or PHYLO
        if kind not in TYPES:
            problems.append("type: must be P or M")
        if tid is not None and tid in lines:
            problems.append(f"id: {tid} already on line {lines[tid]}")
        if tid is not None and parent == tid:
            problems.append("parent_id: a taxon cannot be its own parent")
        for p in problems:
            out.errors.append((number, p))
        if not problems:
            lines[tid] = number
            out.nodes.append(TaxonNode(id=tid, parent_id=parent, name=name, rank=rank, type=kind, aphia_id=aphia))
    in_file = set(lines)
    for node in out.nodes:
        if node.parent_id is not None and node.parent_id not in in_file and node.parent_id not in known_ids:
            out.errors.append((lines[node.id], f"parent_id: unknown taxon {node.parent_id}"))
    out.errors.sort()
    return out
