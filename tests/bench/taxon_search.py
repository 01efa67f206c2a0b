"""Taxon search latency on a generated 100,000-taxon tree (``python -m tests.bench.taxon_search``).

Prints a JSON report: search p50/p99 (prefix and word queries, 200 results at most), the time to
build the index, and the time to resolve 100,000 names in one call."""

from __future__ import annotations

import json
import random
import statistics
import time

from services.ontology.domain.taxonomy.catalogue import merge
from services.ontology.domain.taxonomy.index import TaxonIndex
from services.ontology.domain.taxonomy.model import TaxonNode

SYLLABLES = ["ca", "la", "nus", "oi", "tho", "na", "pa", "ra", "sa", "gi", "ta", "eu", "pha", "si", "cy", "clo",
             "po", "da", "me", "ga", "ly", "thy", "sa", "no", "es", "pte", "ro", "mi", "cro", "di", "a", "o"]


def generated_tree(*, size: int, seed: int = 7) -> list[TaxonNode]:
    rng = random.Random(seed)
    nodes = [TaxonNode(id=1, parent_id=None, name="Biota")]
    for tid in range(2, size + 1):
        parent = rng.randint(max(1, tid // 8), tid - 1)
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))).capitalize()
        name = word if rng.random() < 0.7 else f"{nodes[parent - 1].name.split()[0]} {word.lower()}"
        nodes.append(TaxonNode(id=tid, parent_id=parent, name=name))
    return nodes


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(size: int = 100_000, queries: int = 5_000) -> dict:
    rng = random.Random(11)
    nodes = generated_tree(size=size)
    started = time.perf_counter()
    index, _, _ = merge(index=TaxonIndex(), incoming=nodes)
    build_s = time.perf_counter() - started
    names = [n.name for n in index.nodes.values()]
    samples = []
    for _ in range(queries):
        name = rng.choice(names)
        word = rng.choice(name.split())
        samples.append(word[: rng.randint(3, max(3, len(word)))])
    timings = []
    for q in samples:
        t0 = time.perf_counter()
        index.search(query=q, limit=200)
        timings.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    wanted = [rng.choice(names) for _ in range(100_000)]
    resolved = [index.resolve(n) for n in wanted]
    resolve_s = time.perf_counter() - t0
    return {
        "taxa": len(index), "index_build_s": round(build_s, 2), "search_queries": queries,
        "search_p50_ms": round(statistics.median(timings), 3), "search_p99_ms": round(percentile(timings, 0.99), 3),
        "search_max_ms": round(max(timings), 3), "resolve_100k_names_s": round(resolve_s, 3),
        "resolved_unambiguous": sum(1 for r in resolved if r > 0),
    }


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
