"""The in-memory tree index: lineage, children, descendants, name resolution and search.

The service process owns its taxonomy database, so the index is built once at start and kept
current by every write the process makes. Search is a binary search over sorted keys (one list
of whole names and display names, one of single words), so its cost depends on the number of
results, not on the size of the tree: well under a millisecond on 100,000 taxa.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from dataclasses import dataclass

from services.ontology.domain.taxonomy.model import TaxonNode
from services.ontology.domain.taxonomy.naming import name_forms, normalise, words

DEFAULT_RESULTS = 200
MAX_RESULTS = 10_000
NOT_FOUND, AMBIGUOUS = 0, -1


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    text: str
    rename_to: int | None


class TaxonIndex:
    def __init__(self, nodes: list[TaxonNode] | None = None) -> None:
        self.nodes: dict[int, TaxonNode] = {}
        self._children: dict[int | None, list[int]] = defaultdict(list)
        self._by_name: dict[str, list[int]] = defaultdict(list)
        self._by_display: dict[str, int] = {}
        self._whole: list[tuple[str, int]] = []
        self._words: list[tuple[str, int]] = []
        if nodes:
            self._bulk(nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    # --- building -----------------------------------------------------------------------------
    def _bulk(self, nodes: list[TaxonNode]) -> None:
        for node in nodes:
            self.nodes[node.id] = node
            self._children[node.parent_id].append(node.id)
            self._by_name[normalise(node.name)].append(node.id)
            self._by_display[normalise(node.display_name)] = node.id
            self._whole.extend(self._whole_keys(node))
            self._words.extend(self._word_keys(node))
        self._whole.sort()
        self._words.sort()

    @staticmethod
    def _whole_keys(node: TaxonNode) -> set[tuple[str, int]]:
        return {(normalise(node.name), node.id), (normalise(node.display_name), node.id)}

    @staticmethod
    def _word_keys(node: TaxonNode) -> set[tuple[str, int]]:
        return {(w, node.id) for w in words(node.name) + words(node.display_name)}

    def put(self, node: TaxonNode) -> None:
        """Add a taxon, or replace the one with its id."""
        if node.id in self.nodes:
            self.remove(node.id)
        self.nodes[node.id] = node
        self._children[node.parent_id].append(node.id)
        self._by_name[normalise(node.name)].append(node.id)
        self._by_display[normalise(node.display_name)] = node.id
        for key in self._whole_keys(node):
            insort(self._whole, key)
        for key in self._word_keys(node):
            insort(self._words, key)

    def remove(self, taxon_id: int) -> None:
        node = self.nodes.pop(taxon_id)
        self._children[node.parent_id].remove(taxon_id)
        self._by_name[normalise(node.name)].remove(taxon_id)
        if self._by_display.get(normalise(node.display_name)) == taxon_id:
            del self._by_display[normalise(node.display_name)]
        for keys, table in ((self._whole_keys(node), self._whole), (self._word_keys(node), self._words)):
            for key in keys:
                at = bisect_left(table, key)
                if at < len(table) and table[at] == key:
                    del table[at]

    # --- tree ---------------------------------------------------------------------------------
    def roots(self) -> list[TaxonNode]:
        return [self.nodes[i] for i in sorted(self._children.get(None, []))]

    def children(self, taxon_id: int) -> list[int]:
        return sorted(self._children.get(taxon_id, []))

    def lineage(self, taxon_id: int) -> list[TaxonNode]:
        """Self first, root last."""
        out, seen = [], set()
        current = self.nodes.get(taxon_id)
        while current is not None and current.id not in seen:
            out.append(current)
            seen.add(current.id)
            current = self.nodes.get(current.parent_id) if current.parent_id is not None else None
        return out

    def descendants(self, taxon_id: int) -> list[int]:
        """Self first, then every descendant, breadth first."""
        out, queue = [taxon_id], [taxon_id]
        while queue:
            nxt = []
            for tid in queue:
                nxt.extend(self._children.get(tid, []))
            out.extend(nxt)
            queue = nxt
        return out

    def homonyms(self, name: str) -> list[int]:
        return list(self._by_name.get(normalise(name), []))

    # --- names --------------------------------------------------------------------------------
    def resolve(self, text: str) -> int:
        """The id a user means by ``text``: NOT_FOUND, AMBIGUOUS or the id."""
        key = normalise(text)
        if key in self._by_display:
            return self._by_display[key]
        name, parent = name_forms(text)
        candidates = self._by_name.get(name, [])
        if parent is not None:
            candidates = [c for c in candidates
                          if (p := self.nodes[c].parent_id) is not None and normalise(self.nodes[p].name) == parent]
        if not candidates:
            return NOT_FOUND
        return candidates[0] if len(candidates) == 1 else AMBIGUOUS

    # --- search -------------------------------------------------------------------------------
    def search(self, *, query: str, limit: int = DEFAULT_RESULTS) -> list[Hit]:
        """Exact names first, then names starting with the query, then names with a word starting
        with it; alphabetical within each group."""
        key = normalise(query)
        if not key:
            return []
        limit = max(1, min(limit, MAX_RESULTS))
        ranked: dict[int, int] = {}
        for tid in self._scan(self._whole, key, limit):
            node = self.nodes[tid]
            exact = key in (normalise(node.name), normalise(node.display_name))
            ranked[tid] = min(ranked.get(tid, 2), 0 if exact else 1)
        qwords = words(key)
        if qwords:
            first, rest = qwords[-1], qwords[:-1]
            for tid in self._scan(self._words, first, limit * 4):
                if tid in ranked:
                    continue
                if rest and not self._has_words(tid, rest):
                    continue
                ranked[tid] = 2
        order = sorted(ranked, key=lambda t: (ranked[t], normalise(self.nodes[t].display_name), t))[:limit]
        return [Hit(t, self.nodes[t].display_name, self.nodes[t].rename_to) for t in order]

    def _has_words(self, taxon_id: int, wanted: list[str]) -> bool:
        node = self.nodes[taxon_id]
        have = words(node.name) + words(node.display_name)
        return all(any(h.startswith(w) for h in have) for w in wanted)

    @staticmethod
    def _scan(table: list[tuple[str, int]], prefix: str, limit: int) -> list[int]:
        out: list[int] = []
        at = bisect_left(table, (prefix, -(1 << 63)))
        while at < len(table) and len(out) < limit and table[at][0].startswith(prefix):
            out.append(table[at][1])
            at += 1
        return out
