"""Reading one EcoTaxa TSV file: its encoding, header and type row, and each data line as checked
values. Pure: no database, no images. Problems are returned as text, never raised, so that a whole
file is reported at once (line numbers are the file's: data starts at line 3)."""

from __future__ import annotations

import codecs
import csv
import functools
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, BinaryIO

from services.core.errors import InvalidArgument
from services.projects.domain.hierarchy.columns import FREE_TEXT_MAX, ORIG_ID_MAX
from services.projects.domain.hierarchy.seed import parse_date, parse_time

PREFIXES = ("object", "sample", "acq", "process", "img")
# The fixed columns of each table (the rest of a prefix's columns are free columns).
FIXED: dict[str, frozenset[str]] = {
    "object": frozenset({"id", "lat", "lon", "date", "time", "link", "depth_min", "depth_max",
                         "annotation_category", "annotation_category_id", "annotation_status",
                         "annotation_person_name", "annotation_person_email", "annotation_date",
                         "annotation_time", "annotation_hierarchy"}),
    "sample": frozenset({"id", "dataportal_descriptor"}),
    "acq": frozenset({"id", "instrument"}),
    "process": frozenset({"id"}),
    "img": frozenset({"file_name", "rank"}),
}
COMPLEMENT_INFO = "complement_info"
STATUSES = {"predicted": "P", "validated": "V", "dubious": "D", "discarded": "X", "noid": ""}
MAX_COLUMNS = 1000
MAX_CELL = 8000
MAX_RANK = 100
DUMMY_ID = "__DUMMY_ID__"
_DEGREES = re.compile(r"^\s*(-?\d+)°(\d+) (\d+(?:\.\d*)?)\s*$")

csv.field_size_limit(1 << 20)


@dataclass(frozen=True)
class Column:
    index: int
    header: str      # as in the file, lower-case
    prefix: str      # object, sample, acq, process, img, or "" for complement_info
    name: str        # after the prefix
    free: bool
    numeric: bool    # an object free column typed [f]


@dataclass
class Layout:
    columns: list[Column]
    free: dict[str, dict[str, str]]  # prefix -> free name -> "n"/"t"

    def __post_init__(self) -> None:
        self._fields = {(c.prefix, c.name) for c in self.columns}
        self._prefixes = {c.prefix for c in self.columns}

    def has(self, prefix: str, name: str) -> bool:
        return (prefix, name) in self._fields

    def uses(self, prefix: str) -> bool:
        return prefix in self._prefixes


@dataclass
class Parent:
    orig_id: str
    fixed: dict[str, str] = field(default_factory=dict)
    free: dict[str, str] = field(default_factory=dict)


@dataclass
class Line:
    """One data line, converted."""

    number: int
    object_id: str
    head: dict[str, Any] = field(default_factory=dict)           # obj_head columns
    file: str = ""                  # the TSV file's path in the source
    numbers: dict[str, float | None] = field(default_factory=dict)  # object free [f]
    texts: dict[str, str] = field(default_factory=dict)             # object free [t]
    category: str = ""              # lower-cased name text
    category_id: int | None = None
    status: str = ""                # P V D X or ""
    person_name: str = ""
    person_email: str = ""
    annotated_at: datetime | None = None
    img_file: str = ""
    img_rank: int | None = None
    sample: Parent | None = None
    acquisition: Parent | None = None
    process: Parent | None = None

    @property
    def classified(self) -> bool:
        return bool(self.category or self.category_id is not None)


def detect_encoding(stream: BinaryIO) -> str:
    """``utf-8-sig`` with a byte order mark, ``utf-8`` when the whole stream decodes as UTF-8,
    ``latin-1`` otherwise; a UTF-16 or binary file is refused. Reads the stream in blocks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    first = stream.read(1 << 16)
    if first.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in first[:4096]:
        raise InvalidArgument("The file is UTF-16 or binary: TSV files are read as UTF-8 or Latin-1.")
    block = first
    try:
        while block:
            decoder.decode(block)
            block = stream.read(1 << 16)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def rows(stream: BinaryIO, encoding: str) -> Iterator[tuple[int, list[str] | str]]:
    """(line number, cells) per line of a binary stream; a line that cannot be read gives its
    problem as text."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter="\t", quotechar='"')
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, f"unreadable line ({exc})"
            continue
        yield reader.line_num, cells


def parse_layout(header: list[str], types: list[str] | None) -> tuple[Layout | None, list[str]]:
    """The file's columns from its first two lines, or the problems found in them."""
    problems: list[str] = []
    if len(header) > MAX_COLUMNS:
        return None, [f"Too many columns ({len(header)}), at most {MAX_COLUMNS}."]
    if types is None:
        return None, ["The type line (line 2: [t] or [f] per column) is missing."]
    columns: list[Column] = []
    free: dict[str, dict[str, str]] = {p: {} for p in PREFIXES}
    seen: set[str] = set()
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        if name in seen:
            problems.append(f"Duplicate column '{name[:100]}'.")
            continue
        seen.add(name)
        if name == COMPLEMENT_INFO:
            columns.append(Column(index, name, "", name, free=False, numeric=False))
            continue
        prefix, sep, field_name = name.partition("_")
        if not sep or not prefix or not field_name:
            problems.append(f"Invalid Header '{name[:100]}' in file. Format must be Table_Field. Field ignored.")
            continue
        if prefix not in PREFIXES:
            problems.append(f"Invalid Header '{name[:100]}' in file. Unknown table prefix '{prefix[:50]}'.")
            continue
        type_cell = (types[index] if index < len(types) else "").strip().lower()
        is_free = field_name not in FIXED[prefix]
        numeric = False
        if is_free and prefix == "object":
            if type_cell not in ("[f]", "[t]"):
                problems.append(f"Invalid Type '{type_cell[:20]}' for Field '{name[:100]}' (line 2): [t] or [f].")
                continue
            numeric = type_cell == "[f]"
        if is_free and prefix == "img":
            continue  # other image columns carry nothing Copepod keeps
        columns.append(Column(index, name, prefix, field_name, free=is_free, numeric=numeric))
        if is_free:
            free[prefix][field_name] = "n" if numeric else "t"
    layout = Layout(columns=columns, free=free)
    if not problems:
        if not layout.has("object", "id"):
            problems.append("Column object_id is missing: every line needs one.")
        for prefix in ("sample", "acq", "process"):
            if layout.uses(prefix) and not layout.has(prefix, "id"):
                problems.append(f"Column {prefix}_id is missing: it is needed when {prefix}_ columns are present.")
    return (None if problems else layout), problems


def coordinate(text: str, bound: float, what: str) -> float:
    """Decimal degrees, or ``DDD°MM SSS`` degrees, minutes and seconds."""
    match = _DEGREES.match(text)
    try:
        if match:
            degrees, minutes, seconds = (float(g) for g in match.groups())
            value = math.copysign(abs(degrees) + (minutes + seconds / 60) / 60, -1 if text.strip().startswith("-") else 1)
        else:
            value = float(text)
    except ValueError:
        raise InvalidArgument(f"Invalid {what} value '{text[:30]}'.") from None
    if not math.isfinite(value) or abs(value) > bound:
        raise InvalidArgument(f"{what.capitalize()} {text[:30]} is out of range [-{bound:g}, {bound:g}].")
    return value


def number(text: str, what: str) -> float | None:
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidArgument(f"'{text[:30]}' is not a number for Field '{what}'.") from None
    if not math.isfinite(value):
        raise InvalidArgument(f"'{text[:30]}' is not a finite number for Field '{what}'.")
    return value


# Dates and times repeat from line to line: parse each text once.
_date = functools.lru_cache(maxsize=4096)(parse_date)
_time = functools.lru_cache(maxsize=4096)(parse_time)


def _text(text: str, what: str, limit: int = FREE_TEXT_MAX) -> str:
    if len(text) > limit:
        raise InvalidArgument(f"Field '{what}' is too long ({len(text)} characters, at most {limit}).")
    return text


def _annotation_time(day: str, clock: str) -> datetime | None:
    if not day:
        if clock:
            raise InvalidArgument("object_annotation_time needs an object_annotation_date.")
        return None
    d: date = _date(day)  # type: ignore[assignment]
    t: time = _time(clock) or time(0, 0)
    return datetime.combine(d, t)


_HEAD = {"link": ("object_link", 255), "depth_min": ("depth_min", None), "depth_max": ("depth_max", None)}


def parse_line(layout: Layout, number_: int, cells: list[str]) -> tuple[Line | None, list[str]]:
    """A data line as values, or its problems."""
    problems: list[str] = []
    if "\x00" in "\t".join(cells):
        return None, ["NUL characters are not allowed."]
    values: dict[str, dict[str, str]] = {p: {} for p in (*PREFIXES, "")}
    for col in layout.columns:
        cell = cells[col.index].strip() if col.index < len(cells) else ""
        if len(cell) > MAX_CELL:
            problems.append(f"Field '{col.header}' is longer than {MAX_CELL} characters.")
            continue
        values[col.prefix][col.name] = cell
    if problems:
        return None, problems
    obj, smp, acq, prc, img = (values[p] for p in PREFIXES)
    line = Line(number=number_, object_id=obj.get("id", ""))

    def check(fn, *args):
        try:
            return fn(*args)
        except InvalidArgument as exc:
            problems.append(exc.message)
            return None

    if not line.object_id:
        problems.append("object_id is empty: every line needs one.")
    else:
        check(_text, line.object_id, "object_id", ORIG_ID_MAX)
    head = line.head
    # Only the file's columns: an update writes those and leaves the others as they are.
    if "lat" in obj:
        head["latitude"] = check(coordinate, obj["lat"], 90, "latitude") if obj["lat"] else None
    if "lon" in obj:
        head["longitude"] = check(coordinate, obj["lon"], 180, "longitude") if obj["lon"] else None
    if "date" in obj:
        head["objdate"] = check(_date, obj["date"])
    if "time" in obj:
        head["objtime"] = check(_time, obj["time"])
    for key, (column, limit) in _HEAD.items():
        if key in obj:
            head[column] = (check(_text, obj[key], f"object_{key}", limit) or None) if limit \
                else check(number, obj[key], f"object_{key}")
    if "" in values and COMPLEMENT_INFO in values[""]:
        head["complement_info"] = check(_text, values[""][COMPLEMENT_INFO], COMPLEMENT_INFO, MAX_CELL) or None
    if head.get("depth_min") is not None and head.get("depth_max") is not None \
            and head["depth_min"] > head["depth_max"]:
        problems.append(f"object_depth_min {head['depth_min']:g} is greater than object_depth_max "
                        f"{head['depth_max']:g}.")
    for col in layout.columns:
        if col.prefix == "object" and col.free:
            if col.numeric:
                line.numbers[col.name] = check(number, obj[col.name], col.header)
            elif obj[col.name]:
                line.texts[col.name] = check(_text, obj[col.name], col.header) or ""

    line.category = obj.get("annotation_category", "").lower()
    category_id = obj.get("annotation_category_id", "")
    if category_id:
        try:
            line.category_id = int(category_id)
        except ValueError:
            problems.append(f"object_annotation_category_id '{category_id[:30]}' is not a number.")
    status = obj.get("annotation_status", "").lower()
    if status and status not in STATUSES:
        problems.append(f"Unknown classification status '{status[:30]}': predicted, validated, dubious, "
                        f"discarded or noid.")
    line.status = STATUSES.get(status, "")
    if line.status and not line.classified:
        problems.append(f"Status '{status}' without a category.")
    elif line.classified and not line.status:
        problems.append("A category without a status (predicted, validated, dubious or discarded).")
    line.person_name = check(_text, obj.get("annotation_person_name", ""), "object_annotation_person_name") or ""
    line.person_email = check(_text, obj.get("annotation_person_email", ""), "object_annotation_person_email") or ""
    line.annotated_at = check(_annotation_time, obj.get("annotation_date", ""), obj.get("annotation_time", ""))

    line.img_file = img.get("file_name", "")
    if "rank" in img and img["rank"]:
        rank = check(number, img["rank"], "img_rank")
        if rank is not None and (rank != int(rank) or not 0 <= rank < MAX_RANK):
            problems.append(f"img_rank '{img['rank'][:20]}' is not a whole number from 0 to {MAX_RANK - 1}.")
        elif rank is not None:
            line.img_rank = int(rank)

    line.sample = _parent(layout, "sample", smp, DUMMY_ID, problems)
    line.acquisition = _parent(layout, "acq", acq, f"{DUMMY_ID}{line.sample.orig_id}__", problems)
    line.process = _parent(layout, "process", prc, line.acquisition.orig_id, problems)
    return (None if problems else line), problems


def _parent(layout: Layout, prefix: str, cells: dict[str, str], default: str, problems: list[str]) -> Parent:
    if layout.uses(prefix):
        orig_id = cells.get("id", "")
        if not orig_id:
            problems.append(f"{prefix}_id is empty.")
        elif len(orig_id) > ORIG_ID_MAX:
            problems.append(f"{prefix}_id is longer than {ORIG_ID_MAX} characters.")
    else:
        orig_id = default
    parent = Parent(orig_id=orig_id or default)
    for name, value in cells.items():
        if name == "id":
            continue
        if name in FIXED[prefix]:
            parent.fixed[name] = value
        elif len(value) > FREE_TEXT_MAX:
            problems.append(f"Field '{prefix}_{name}' is too long ({len(value)} characters, at most {FREE_TEXT_MAX}).")
        else:
            parent.free[name] = value
    return parent
