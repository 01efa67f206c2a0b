"""The ``deps`` of the label-row operations over a real database (both legs), peers faked
(labelling_support), twelve image units already in the project."""

from __future__ import annotations

import pytest

from services.labels.domain.labelling import slots
from services.labels.domain.labelling.ports import Deps
from services.labels.store import DeletedProject, LabelLog, LabelRow, ProjectWorkflow, TimeEntry
from tests.support.databases import table_sessions
from tests.unit.labels.labelling_support import PROJECT, Ontology, Projects, Recorder, Units, image


@pytest.fixture
async def deps(tmp_path, database_leg):
    db = table_sessions(tmp_path=tmp_path, database_leg=database_leg,
                        tables=[LabelRow.__table__, DeletedProject.__table__, ProjectWorkflow.__table__,
                                LabelLog.__table__, TimeEntry.__table__], prefix="labels")
    units = {d.data_hash: d for d in (image(n) for n in range(1, 13))}
    d = Deps(db=db, events=Recorder(), projects=Projects(), units=Units(units), ontology=Ontology())
    async with db.transaction() as s:
        assert await slots.add_units(s, deps=d, project_ids=[PROJECT], data_hashes=list(units)) == 12
    yield d
    await db.engine.dispose()
