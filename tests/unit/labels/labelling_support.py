"""Fakes of the labels service's peers for its unit tests: a project whose members have fixed
roles, units described from a table, an ontology with one box object and one classification."""

from __future__ import annotations

from dataclasses import replace

from services.core.auth import Principal
from services.core.errors import NotFound
from services.core.project_access import ProjectStanding
from services.core.roles import ProjectRole
from services.labels.domain.labelling.ports import UnitDescription
from services.labels.domain.rows.validation import index_ontology

PROJECT = 7
ANNOTATOR = Principal(user_id=2, email="ann@example.org")
VIEWER = Principal(user_id=3, email="view@example.org")
REVIEWER = Principal(user_id=4, email="rev@example.org")
MANAGER = Principal(user_id=5, email="boss@example.org")
ROLES = {2: ProjectRole.ANNOTATOR, 3: ProjectRole.VIEWER, 4: ProjectRole.REVIEWER, 5: ProjectRole.TEAM_MANAGER}
CAR, WEATHER, RAIN = "aaaa0001", "cccc0001", "cccc0003"
ONTOLOGY = {"objects": [{"id": "1", "name": "Car", "color": "#D33115", "shape": "bounding_box",
                         "featureNodeHash": CAR, "required": False, "archived": False}],
            "classifications": [{"id": "2", "featureNodeHash": WEATHER, "attributes": [
                {"id": "2.1", "name": "Weather", "type": "radio", "featureNodeHash": "cccc0002", "required": False,
                 "archived": False, "dynamic": False, "options": [
                     {"id": "2.1.1", "label": "Rain", "value": "rain", "featureNodeHash": RAIN,
                      "archived": False}]}]}]}


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple] = []

    def row(self, session, verb, *, row, actor_id):
        self.seen.append((verb, row.data_hash, row.version))

    async def rows(self, session, verb, *, rows, actor_id):
        for row in rows:
            self.row(session, verb, row=row, actor_id=actor_id)

    def task_moved(self, session, *, row, from_stage, action, actor_id):
        self.seen.append(("moved", row.data_hash, from_stage, row.workflow_stage_uuid))

    def deleted(self, session, *, project_id, data_hashes, actor_id):
        self.seen.append(("deleted", project_id, tuple(sorted(data_hashes))))


class Projects:
    caller: Principal = ANNOTATOR

    async def check(self, *, project_id, manage=False):
        if project_id != PROJECT:
            raise NotFound()
        return ProjectStanding(role=ROLES.get(self.caller.user_id), right="")


class Units:
    def __init__(self, described: dict[str, UnitDescription]) -> None:
        self.described = described

    async def describe(self, *, data_hashes, signed=False):
        out = [self.described[h] for h in data_hashes if h in self.described]
        if signed:
            out = [replace(d, units=[{**u, "link": f"https://x/{u['hash']}"} for u in d.units]) for d in out]
        return out

    async def dataset_units(self, *, dataset_hash, page_token):
        return [h for h, d in self.described.items() if d.dataset_hash == dataset_hash], ""


class Ontology:
    async def index_of(self, *, project_id):
        return index_ontology(ONTOLOGY)


def image(n: int, dataset: str = "ds-1") -> UnitDescription:
    h = f"00000000-0000-0000-0000-{n:012d}"
    return UnitDescription(data_hash=h, dataset_hash=dataset, dataset_title="Dataset", title=f"img_{n:03d}.png",
                           data_type="image", client_metadata={"n": n},
                           units=[{"hash": h, "title": f"img_{n:03d}.png", "mime": "image/png", "sequence": 0,
                                   "width": 40, "height": 30, "frames": 1, "fps": None, "duration": None}])


def hashes(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"
