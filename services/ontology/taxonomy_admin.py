"""``copepod taxonomy import FILE``: load a taxonomy file straight into the ontology database
(migrations first). Every line is checked before anything is written; the write is one
transaction, with its events in the outbox for the service to publish once it runs."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from services.core.errors import DomainError
from services.core.offline import offline_service
from services.ontology import taxonomy_store
from services.ontology.domain.taxonomy.catalogue import ImportResult, import_taxa
from services.ontology.domain.taxonomy.importfile import parse
from services.ontology.domain.taxonomy.index import TaxonIndex

SERVICE = "ontology"
MIGRATIONS = Path(__file__).parent / "migrations"
MAX_REPORTED = 100


class ProgressBar:
    """A plain text bar on a stream, redrawn at most ten times a second."""

    def __init__(self, label: str, *, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.label, self.stream, self.width = label, stream, width
        self._last = 0.0

    def update(self, done: int, total: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.1 and done < total:
            return
        self._last = now
        filled = self.width * done // total if total else self.width
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class ImportFailed(Exception):
    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


async def import_file(*, path: Path, stream: TextIO = sys.stderr) -> ImportResult:
    async with offline_service(SERVICE, MIGRATIONS) as (sessions, bus):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFailed([(text_line(path, exc.start), "not UTF-8 text")]) from None
        async with sessions.session() as session:
            index = TaxonIndex(await taxonomy_store.load_all(session=session))
        parsed = parse(text=text, filename=path.name, known_ids=set(index.nodes))
        ProgressBar("checked", stream=stream).update(len(parsed.nodes), len(parsed.nodes), force=True)
        if parsed.errors:
            raise ImportFailed(parsed.errors)
        bar = ProgressBar("written", stream=stream)
        try:
            _, result = await import_taxa(sessions=sessions, bus=bus, index=index, incoming=parsed.nodes,
                                          progress=bar.update)
        except DomainError as exc:
            raise ImportFailed([(0, exc.message)]) from None
        return result


def text_line(path: Path, offset: int) -> int:
    return path.read_bytes()[:offset].count(b"\n") + 1
