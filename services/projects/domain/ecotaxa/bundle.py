"""An EcoTaxa import source on disk (an extracted zip or a folder): its TSV files and the first,
complete pass over them. ``survey`` reads every line once and gathers what the import needs before
writing anything: every problem with its file and line, the names to resolve (taxa, annotators),
the free columns, the identifiers to check against the project, and counts for progress. Blocking:
the job runs it in a worker thread."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from services.core.errors import InvalidArgument
from services.projects.domain.ecotaxa.tsv import Layout, Line, detect_encoding, parse_layout, parse_line, rows

MAX_FILES = 2000
MAX_ERRORS = 1000
IGNORED_DIRS = ("__MACOSX",)
KIND_OF_PREFIX = {"sample": "sample", "acq": "acquisition", "process": "process", "object": "object"}


@dataclass(frozen=True)
class TsvFile:
    path: Path
    relative: str   # POSIX path from the source root: what the project records as loaded
    encoding: str = "utf-8"


def discover(root: Path) -> list[TsvFile]:
    """The ``ecotaxa*.tsv|txt`` files under ``root``, sorted by relative path (links are not
    followed, ``__MACOSX`` is skipped)."""
    found: list[str] = []
    pending = [root]
    while pending:
        here = pending.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                if entry.name in IGNORED_DIRS or entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                    continue
                lower = entry.name.lower()
                if lower.startswith("ecotaxa") and lower.endswith((".tsv", ".txt")) and entry.is_file():
                    found.append(Path(entry.path).relative_to(root).as_posix())
                    if len(found) > MAX_FILES:
                        raise InvalidArgument(f"You tried to import too many files, max. is {MAX_FILES}")
    if not found:
        raise InvalidArgument("No object to import. * No .txt or .tsv file was found, of which name starts "
                              "with 'ecotaxa'.")
    return [TsvFile(path=root / rel, relative=rel) for rel in sorted(found)]


def image_path(root: Path, tsv: TsvFile, name: str) -> Path | None:
    """The image a line names, relative to its TSV's folder; None when the name leaves the source
    or passes through a link."""
    if not name or "\\" in name or "\x00" in name:
        return None
    parts = PurePosixPath(name).parts
    if PurePosixPath(name).is_absolute() or ".." in parts:
        return None
    base = tsv.path.parent
    path = base.joinpath(*parts)
    probe = path
    while probe != root and root in probe.parents:
        if probe.is_symlink():
            return None
        probe = probe.parent
    return path


@dataclass
class Problems:
    """Problems by file, in EcoTaxa's layout: ``In <file>:`` then `` - line <n>: <problem>``."""

    lines: list[str] = field(default_factory=list)
    count: int = 0
    _file: str | None = None

    def add(self, file: str, problem: str, line: int | None = None) -> None:
        self.count += 1
        if len(self.lines) >= MAX_ERRORS:
            return
        if self._file != file:
            self.lines.append(f"In {file}:")
            self._file = file
        self.lines.append(f" - line {line}: {problem}" if line else f" - {problem}")

    def __bool__(self) -> bool:
        return self.count > 0


@dataclass
class Survey:
    files: list[TsvFile]
    lines: int = 0
    problems: Problems = field(default_factory=Problems)
    infos: list[str] = field(default_factory=list)
    free: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> name -> "n"/"t", first seen order
    category_names: set[str] = field(default_factory=set)
    category_ids: set[int] = field(default_factory=set)
    people: set[tuple[str, str]] = field(default_factory=set)      # (name, email lower-case)
    object_ids: set[str] = field(default_factory=set)
    acquisitions: dict[str, str] = field(default_factory=dict)      # acquisition orig_id -> sample orig_id
    without_position: int = 0


def _free_columns(survey: Survey, layout: Layout, file: str) -> None:
    for prefix, names in layout.free.items():
        kind = KIND_OF_PREFIX.get(prefix)
        if kind is None:
            continue
        known = survey.free.setdefault(kind, {})
        for name, type_ in names.items():
            type_ = type_ if kind == "object" else "t"
            if known.setdefault(name, type_) != type_:
                survey.problems.add(file, f"Field '{prefix}_{name}' is numeric in one file and text in another.")


def read_lines(tsv: TsvFile, on_problem: Callable[[str, int | None], None]) -> Iterator[Line]:
    """The file's valid data lines; problems of the layout or of a line go to ``on_problem``."""
    it = rows(tsv.path, tsv.encoding)
    header = next(it, None)
    if header is None or isinstance(header[1], str):
        on_problem("The file is empty or its header cannot be read.", None)
        return
    types = next(it, None)
    if types is not None and isinstance(types[1], str):
        on_problem(types[1], types[0])
        return
    layout, problems = parse_layout(header[1], None if types is None else types[1])
    for p in problems:
        on_problem(p, None)
    if layout is None:
        return
    for number_, cells in it:
        if isinstance(cells, str):
            on_problem(cells, number_)
            continue
        if not any(c.strip() for c in cells):
            continue
        line, problems = parse_line(layout, number_, cells)
        for p in problems:
            on_problem(p, number_)
        if line is not None:
            yield line


def layout_of(tsv: TsvFile) -> Layout | None:
    it = rows(tsv.path, tsv.encoding)
    header, types = next(it, None), next(it, None)
    if header is None or types is None or isinstance(header[1], str) or isinstance(types[1], str):
        return None
    return parse_layout(header[1], types[1])[0]


def survey(root: Path, files: Iterable[TsvFile], *, taxo_mappings: Mapping[str, str], need_images: bool,
           progress: Callable[[int, int], None] | None = None) -> Survey:
    """The first pass over every file (see the module's text)."""
    files = list(files)
    result = Survey(files=[])
    pairs: set[tuple[str, str]] = set()
    for index, tsv in enumerate(files):
        if progress:
            progress(index, len(files))
        tsv = TsvFile(path=tsv.path, relative=tsv.relative, encoding=detect_encoding(tsv.path))
        result.files.append(tsv)

        def problem(text: str, line: int | None, _file=tsv.relative) -> None:
            result.problems.add(_file, text, line)

        layout = layout_of(tsv)
        if layout is not None:
            _free_columns(result, layout, tsv.relative)
            if need_images and not layout.has("img", "file_name"):
                problem("Column img_file_name is missing: every new object needs an image.", None)
        last = None
        for line in read_lines(tsv, problem):
            result.lines += 1
            if line.object_id != last and line.object_id in result.object_ids:
                problem(f"The lines of object '{line.object_id[:100]}' must follow each other, in one file.",
                        line.number)
            last = line.object_id
            pair = (line.object_id, line.img_file)
            if pair in pairs:
                problem(f"Duplicate object '{line.object_id[:100]}' with image '{line.img_file[:100]}' "
                        f"in the import.", line.number)
            pairs.add(pair)
            result.object_ids.add(line.object_id)
            acq, smp = line.acquisition.orig_id, line.sample.orig_id
            if result.acquisitions.setdefault(acq, smp) != smp:
                problem(f"Acquisition '{acq[:100]}' is already associated with sample "
                        f"'{result.acquisitions[acq][:100]}', it cannot be in sample '{smp[:100]}' too.",
                        line.number)
            if line.category_id is not None:
                result.category_ids.add(line.category_id)
            elif line.category:
                result.category_names.add(taxo_mappings.get(line.category, line.category))
            if line.person_name or line.person_email:
                result.people.add((line.person_name, line.person_email.lower()))
            if line.head.get("latitude") is None or line.head.get("longitude") is None:
                result.without_position += 1
            if line.img_file:
                path = image_path(root, tsv, line.img_file)
                if path is None or not path.is_file():
                    problem(f"Missing Image '{line.img_file[:200]}'.", line.number)
            elif need_images:
                problem("img_file_name is empty: every new object needs an image.", line.number)
    if result.without_position:
        result.infos.append(f"{result.without_position} object(s) don't have GPS information.")
    return result
