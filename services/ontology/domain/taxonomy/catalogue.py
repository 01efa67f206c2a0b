"""The taxonomy tree of one service process: the index over the stored tree, and the writes
that keep the two in step (each write in one transaction with its events)."""

from __future__ import annotations

import asyncio
from typing import Callable
from dataclasses import dataclass, field

from services.core.bus import EventBus
from services.core.db import SessionFactory
from services.core.errors import InvalidArgument
from services.ontology import taxonomy_events, taxonomy_store
from services.ontology.domain.taxonomy.index import TaxonIndex
from services.ontology.domain.taxonomy.model import TaxonNode
from services.ontology.domain.taxonomy.tree import all_display_names, new_taxon


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    renamed: list[int] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0


def find_cycle(*, nodes: dict[int, TaxonNode]) -> int | None:
    """The id of a taxon that is its own ancestor, if any."""
    done: set[int] = set()
    for start in nodes:
        path: list[int] = []
        on_path: set[int] = set()
        current: int | None = start
        while current is not None and current not in done:
            if current in on_path:
                return current
            on_path.add(current)
            path.append(current)
            node = nodes.get(current)
            current = node.parent_id if node is not None else None
        done.update(path)
    return None


def merge(*, index: TaxonIndex, incoming: list[TaxonNode]) -> tuple[TaxonIndex, ImportResult, list[TaxonNode]]:
    """The tree once ``incoming`` is upserted by id; what changes; the rows to write."""
    nodes = {tid: TaxonNode(**{f: getattr(n, f) for f in TaxonNode.__slots__}) for tid, n in index.nodes.items()}
    for node in incoming:
        nodes[node.id] = TaxonNode(**{f: getattr(node, f) for f in TaxonNode.__slots__})
        old = index.nodes.get(node.id)
        if old is not None:
            nodes[node.id].nbrobj, nodes[node.id].nbrobjcum = old.nbrobj, old.nbrobjcum
    cycle = find_cycle(nodes=nodes)
    if cycle is not None:
        raise InvalidArgument(f"taxon {cycle} would be its own ancestor")
    merged = TaxonIndex(list(nodes.values()))
    for tid, text in all_display_names(index=merged).items():
        merged.nodes[tid].display_name = text
    result, writes = ImportResult(), []
    for tid, node in merged.nodes.items():
        old = index.nodes.get(tid)
        if old is None:
            result.created.append(tid)
            writes.append(node)
        elif (old.name, old.display_name) != (node.name, node.display_name):
            result.renamed.append(tid)
            writes.append(node)
        elif (old.parent_id, old.rank, old.type, old.aphia_id) != (node.parent_id, node.rank, node.type,
                                                                   node.aphia_id):
            result.updated += 1
            writes.append(node)
        else:
            result.unchanged += 1
    # Rebuild so the search keys carry the final display names.
    return TaxonIndex(list(merged.nodes.values())), result, writes


async def import_taxa(*, sessions: SessionFactory, bus: EventBus, index: TaxonIndex, incoming: list[TaxonNode],
                      actor_id: int | None = None, progress: Callable[[int, int], None] | None = None,
                      ) -> tuple[TaxonIndex, ImportResult]:
    """Upsert taxa by id in one transaction; returns the new index and what changed."""
    merged, result, writes = merge(index=index, incoming=incoming)
    async with sessions.transaction() as session:
        await taxonomy_store.upsert_many(
            session=session, nodes=writes,
            progress=(lambda done: progress(done, len(writes))) if progress else None)
        taxonomy_events.emit_created(bus=bus, session=session, taxon_ids=result.created, actor_id=actor_id)
        taxonomy_events.emit_renamed(bus=bus, session=session, taxon_ids=result.renamed, actor_id=actor_id)
    return merged, result


class Taxonomy:
    def __init__(self, *, sessions: SessionFactory, bus: EventBus) -> None:
        self.sessions = sessions
        self.bus = bus
        self.index = TaxonIndex()
        self._loaded = False
        self._signature: tuple | None = None
        self._lock = asyncio.Lock()

    async def ready(self) -> TaxonIndex:
        """The index, loaded from the database on first use."""
        if not self._loaded:
            async with self._lock:
                if not self._loaded:
                    await self._reload()
        return self.index

    async def _reload(self) -> None:
        async with self.sessions.session() as session:
            self._signature = await taxonomy_store.signature(session=session)
            self.index = TaxonIndex(await taxonomy_store.load_all(session=session))
        self._loaded = True

    async def _remember_signature(self) -> None:
        async with self.sessions.session() as session:
            self._signature = await taxonomy_store.signature(session=session)

    async def refresh_if_changed(self) -> bool:
        """Reload when the stored tree was changed by another writer (``copepod taxonomy import``
        writes the database directly; its events reach this process through the outbox relay)."""
        async with self._lock:
            async with self.sessions.session() as session:
                current = await taxonomy_store.signature(session=session)
            if self._loaded and current == self._signature:
                return False
            await self._reload()
            return True

    async def load_starter_if_empty(self, *, nodes: list[TaxonNode]) -> int:
        """Load ``nodes`` when the tree is empty; the number of taxa added."""
        async with self._lock:
            async with self.sessions.session() as session:
                if await taxonomy_store.count(session=session):
                    return 0
            self.index, result = await import_taxa(sessions=self.sessions, bus=self.bus, index=TaxonIndex(),
                                                   incoming=nodes)
            self._loaded = True
            await self._remember_signature()
            return len(result.created)

    async def create(self, *, actor_id: int | None, name: str, parent_id: int, rank: str, type: str,
                     aphia_id: int | None) -> TaxonNode:
        await self.ready()
        async with self._lock:
            async with self.sessions.session() as session:
                if await taxonomy_store.signature(session=session) != self._signature:
                    await self._reload()
            index = self.index
            async with self.sessions.transaction() as session:
                taxon_id = max(await taxonomy_store.max_id(session=session), max(index.nodes, default=0)) + 1
                node, renamed = new_taxon(index=index, taxon_id=taxon_id, name=name, parent_id=parent_id,
                                          rank=rank, type=type, aphia_id=aphia_id)
                await taxonomy_store.set_display_names(session=session, names=renamed)
                await taxonomy_store.insert(session=session, node=node)
                taxonomy_events.emit_created(bus=self.bus, session=session, taxon_ids=[node.id], actor_id=actor_id)
                taxonomy_events.emit_renamed(bus=self.bus, session=session, taxon_ids=renamed, actor_id=actor_id)
            for tid, text in renamed.items():
                changed = index.nodes[tid]
                index.remove(tid)
                changed.display_name = text
                index.put(changed)
            index.put(node)
            await self._remember_signature()
            return node
