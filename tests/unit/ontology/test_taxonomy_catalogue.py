"""The service's tree against a real (SQLite) database: starter load, creation, and the index
catching up with a tree changed by another writer (``copepod taxonomy import``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.core.bus import EventBus
from services.core.db import Database, SessionFactory, run_migrations
from services.ontology import taxonomy_store
from services.ontology.domain.taxonomy.catalogue import Taxonomy, import_taxa
from services.ontology.domain.taxonomy.index import TaxonIndex
from services.ontology.domain.taxonomy.model import TaxonNode
from services.ontology.domain.taxonomy.starter import starter_taxa

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "ontology" / "migrations"


@pytest.fixture
async def sessions(tmp_path):
    database = Database(url=f"sqlite:///{tmp_path / 'ontology.db'}", schema="ontology")
    run_migrations(database, MIGRATIONS)
    factory = SessionFactory(database.async_engine())
    yield factory
    await factory.dispose()


def bus_of(sessions) -> EventBus:
    return EventBus(service="ontology", nats_url="nats://127.0.0.1:1", sessions=sessions)


async def test_starter_loads_once_and_creation_is_stored(sessions):
    taxonomy = Taxonomy(sessions=sessions, bus=bus_of(sessions))
    loaded = await taxonomy.load_starter_if_empty(nodes=starter_taxa())
    assert loaded >= 300
    assert await taxonomy.load_starter_if_empty(nodes=starter_taxa()) == 0
    calanidae = taxonomy.index.resolve("Calanidae")
    node = await taxonomy.create(actor_id=1, name="Calanus", parent_id=taxonomy.index.resolve("Oithonidae"),
                                 rank="Genus", type="P", aphia_id=None)
    assert node.display_name == "Calanus<Oithonidae"
    fresh = Taxonomy(sessions=sessions, bus=bus_of(sessions))
    index = await fresh.ready()
    assert index.nodes[node.id].display_name == "Calanus<Oithonidae"
    assert index.resolve("Calanus<Calanidae") in index.children(calanidae)
    assert await fresh.refresh_if_changed() is False


async def test_the_index_catches_up_with_another_writer(sessions):
    taxonomy = Taxonomy(sessions=sessions, bus=bus_of(sessions))
    await taxonomy.load_starter_if_empty(nodes=starter_taxa())
    async with sessions.session() as session:
        stored = TaxonIndex(await taxonomy_store.load_all(session=session))
    await import_taxa(sessions=sessions, bus=bus_of(sessions), index=stored,
                      incoming=[TaxonNode(id=90_001, parent_id=1, name="Imported elsewhere")])
    assert taxonomy.index.search(query="imported") == []
    assert await taxonomy.refresh_if_changed() is True
    assert [h.id for h in taxonomy.index.search(query="imported")] == [90_001]
