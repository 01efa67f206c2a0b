"""An EcoTaxa import source's TSV files (services.projects.domain.ecotaxa.sources) and the first,
complete pass over them. ``survey_file`` reads each line of one file once (in a worker process)
and ``combine`` joins the files' surveys: what the import needs before writing anything, i.e.
every problem with its file and line, the names to resolve (taxa, annotators), the free columns,
the identifiers to check against the project, and counts for progress. Blocking."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from services.core.errors import InvalidArgument
from services.projects.domain.ecotaxa.sources import Source, is_tsv, resolve
from services.projects.domain.ecotaxa.tsv import Line, detect_encoding, parse_layout, parse_line, rows

MAX_FILES = 2000
MAX_ERRORS = 1000
KIND_OF_PREFIX = {"sample": "sample", "acq": "acquisition", "process": "process", "object": "object"}


@dataclass(frozen=True)
class TsvFile:
    relative: str   # POSIX path from the source's root: what the project records as loaded
    encoding: str = "utf-8"


def discover(source: Source) -> list[TsvFile]:
    """The ``ecotaxa*.tsv|txt`` files of the source, sorted by relative path."""
    found = [name for name in source.files() if is_tsv(name)]
    if len(found) > MAX_FILES:
        raise InvalidArgument(f"You tried to import too many files, max. is {MAX_FILES}")
    if not found:
        raise InvalidArgument("No object to import. * No .txt or .tsv file was found, of which name starts "
                              "with 'ecotaxa'.")
    return [TsvFile(relative=name) for name in found]


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


def read_lines(source: Source, tsv: TsvFile, on_problem: Callable[[str, int | None], None]) -> Iterator[Line]:
    """The file's valid data lines; problems of the layout or of a line go to ``on_problem``."""
    with source.open(tsv.relative) as stream:
        for line in _lines(rows(stream, tsv.encoding), on_problem):
            line.file = tsv.relative
            yield line


def _lines(it, on_problem) -> Iterator[Line]:
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


@dataclass
class FileSurvey:
    """What one file holds, read on its own (in a worker process when there are several)."""

    tsv: TsvFile
    lines: int = 0
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    free: dict[str, dict[str, str]] = field(default_factory=dict)
    object_ids: dict[str, int] = field(default_factory=dict)     # object id -> first line
    acquisitions: dict[str, tuple[str, int]] = field(default_factory=dict)  # acquisition -> (sample, line)
    category_names: set[str] = field(default_factory=set)
    category_ids: set[int] = field(default_factory=set)
    people: set[tuple[str, str]] = field(default_factory=set)
    without_position: int = 0
    images: list[tuple[int, str, str | None]] = field(default_factory=list)  # line, as written, resolved


def survey_file(open_stream: Callable[[], object], relative: str, *, taxo_mappings: Mapping[str, str],
                need_images: bool) -> FileSurvey:
    """One file's pass. ``open_stream()`` opens the file as a binary stream (a context manager)."""
    try:
        with open_stream() as stream:
            tsv = TsvFile(relative=relative, encoding=detect_encoding(stream))
    except InvalidArgument as exc:
        return FileSurvey(tsv=TsvFile(relative=relative), problems=[(None, exc.message)])
    out = FileSurvey(tsv=tsv)

    def problem(text: str, line: int | None) -> None:
        if len(out.problems) < MAX_ERRORS:
            out.problems.append((line, text))

    with open_stream() as stream:
        it = rows(stream, tsv.encoding)
        header, types = next(it, None), next(it, None)
        layout = None
        if header is not None and types is not None and not isinstance(header[1], str) \
                and not isinstance(types[1], str):
            layout = parse_layout(header[1], types[1])[0]
    if layout is not None:
        for prefix, names in layout.free.items():
            kind = KIND_OF_PREFIX.get(prefix)
            if kind is not None and names:
                out.free[kind] = {n: (t if kind == "object" else "t") for n, t in names.items()}
        if need_images and not layout.has("img", "file_name"):
            problem("Column img_file_name is missing: every new object needs an image.", None)
    pairs: set[tuple[str, str]] = set()
    last = None
    with open_stream() as stream:
        for line in _lines(rows(stream, tsv.encoding), problem):
            out.lines += 1
            if line.object_id != last and line.object_id in out.object_ids:
                problem(f"The lines of object '{line.object_id[:100]}' must follow each other, in one file.",
                        line.number)
            last = line.object_id
            pair = (line.object_id, line.img_file)
            if pair in pairs:
                problem(f"Duplicate object '{line.object_id[:100]}' with image '{line.img_file[:100]}' "
                        f"in the import.", line.number)
            pairs.add(pair)
            out.object_ids.setdefault(line.object_id, line.number)
            acq, smp = line.acquisition.orig_id, line.sample.orig_id
            known = out.acquisitions.setdefault(acq, (smp, line.number))
            if known[0] != smp:
                problem(f"Acquisition '{acq[:100]}' is already associated with sample '{known[0][:100]}', it "
                        f"cannot be in sample '{smp[:100]}' too.", line.number)
            if line.category_id is not None:
                out.category_ids.add(line.category_id)
            elif line.category:
                out.category_names.add(taxo_mappings.get(line.category, line.category))
            if line.person_name or line.person_email:
                out.people.add((line.person_name, line.person_email.lower()))
            if line.head.get("latitude") is None or line.head.get("longitude") is None:
                out.without_position += 1
            if line.img_file:
                out.images.append((line.number, line.img_file, resolve(relative, line.img_file)))
            elif need_images:
                problem("img_file_name is empty: every new object needs an image.", line.number)
    return out


def combine(source: Source, parts: Iterable[FileSurvey], *, check_images: bool = True) -> Survey:
    """The import's survey from its files': their problems, and what only the whole shows (an
    object or an acquisition in several files, images missing from the source; updates read no
    image)."""
    result = Survey(files=[])
    for part in parts:
        file = part.tsv.relative
        result.files.append(part.tsv)
        result.lines += part.lines
        problems = list(part.problems)
        for kind, names in part.free.items():
            known = result.free.setdefault(kind, {})
            for name, type_ in names.items():
                if known.setdefault(name, type_) != type_:
                    problems.append((None, f"Field '{name}' is numeric in one file and text in another."))
        for object_id, line in part.object_ids.items():
            if object_id in result.object_ids:
                problems.append((line, f"The lines of object '{object_id[:100]}' must follow each other, in "
                                       f"one file."))
            result.object_ids.add(object_id)
        for acq, (smp, line) in part.acquisitions.items():
            if result.acquisitions.setdefault(acq, smp) != smp:
                problems.append((line, f"Acquisition '{acq[:100]}' is already associated with sample "
                                       f"'{result.acquisitions[acq][:100]}', it cannot be in sample '{smp[:100]}' "
                                       f"too."))
        for line, written, name in part.images if check_images else ():
            if name is None or not source.has(name):
                problems.append((line, f"Missing Image '{written[:200]}'."))
        for line, text in sorted(problems, key=lambda p: p[0] or 0):
            result.problems.add(file, text, line)
        result.category_names |= part.category_names
        result.category_ids |= part.category_ids
        result.people |= part.people
        result.without_position += part.without_position
    if result.without_position:
        result.infos.append(f"{result.without_position} object(s) don't have GPS information.")
    return result

