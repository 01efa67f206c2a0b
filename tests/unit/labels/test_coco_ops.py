"""COCO import and export of a project's rows over a real database (both legs), peers faked as in
test_labelling: mappings by name and by data hash, all-or-nothing, the streamed export."""

from __future__ import annotations

import orjson
import pytest

from services.core.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from services.labels.domain.labelling import coco_ops, editing
from services.labels.domain.labelling.ports import UnitDescription
from tests.unit.labels.labelling_support import ANNOTATOR, CAR, PROJECT, VIEWER, hashes

VIDEO = "00000000-0000-0000-0000-0000000000v1"


def coco(*annotations, images=None) -> bytes:
    return orjson.dumps({"categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "Boat"}],
                         "images": images or [{"id": 1, "file_name": "img_001.png", "width": 40, "height": 30}],
                         "annotations": list(annotations)})


def box(n: int, image_id: int = 1, category_id: int = 1, bbox=(4, 3, 10, 12)) -> dict:
    return {"id": n, "image_id": image_id, "category_id": category_id, "bbox": list(bbox), "area": 1, "iscrowd": 0}


async def export(deps) -> dict:
    chunks = [c async for c in coco_ops.export_chunks(deps=deps, caller=ANNOTATOR, project_id=PROJECT)]
    return orjson.loads(b"".join(chunks))


async def test_import_by_name_then_export(deps):
    job, result = await coco_ops.import_coco(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                             body=coco(box(1), box(2, category_id=2)))
    assert job == 0
    assert result["counts"] == {"read": 2, "imported": 1, "skipped": 1, "objects": 1, "rows": 1}
    assert result["unmatched"] == [{"annotation_id": 2, "category_id": 2, "reason": "no_mapping"}]
    [row] = map(orjson.loads, await editing.get_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                     label_hashes=[result["rows"][0]["label_hash"]]))
    (obj,) = row["data_units"][hashes(1)]["labels"]["objects"]
    assert obj["featureHash"] == CAR and obj["boundingBox"] == pytest.approx({"x": 0.1, "y": 0.1, "w": 0.25, "h": 0.4})

    doc = await export(deps)
    assert [(i["data_hash"], i["frame"]) for i in doc["images"]] == [(hashes(1), 0)]
    assert [a["bbox"] for a in doc["annotations"]] == [pytest.approx([4, 3, 10, 12])]
    # The export imports back into the same unit: its objects are added again.
    _, again = await coco_ops.import_coco(deps=deps, caller=ANNOTATOR, project_id=PROJECT, body=orjson.dumps(doc))
    assert again["rows"][0]["version"] == 3


async def test_video_frames_go_to_their_frame_and_come_back(deps):
    deps.units.described[VIDEO] = UnitDescription(
        data_hash=VIDEO, dataset_hash="ds-1", dataset_title="Dataset", title="clip.mp4", data_type="video",
        client_metadata={}, units=[{"hash": VIDEO, "title": "clip.mp4", "mime": "video/mp4", "sequence": 0,
                                    "width": 64, "height": 48, "frames": 6, "fps": 12.0, "duration": 0.5}])
    from services.labels.domain.labelling import slots
    async with deps.db.transaction() as s:
        await slots.add_units(s, deps=deps, project_ids=[PROJECT], data_hashes=[VIDEO])
    images = [{"id": 7, "file_name": "x", "width": 64, "height": 48, "data_hash": VIDEO, "frame": 2}]
    _, result = await coco_ops.import_coco(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                           body=coco(box(1, image_id=7, bbox=(16, 12, 32, 24)), images=images))
    assert result["counts"]["rows"] == 1
    doc = await export(deps)
    assert [(i["data_hash"], i["frame"], i["file_name"]) for i in doc["images"]] == [(VIDEO, 2, "clip.mp4/2")]
    assert doc["annotations"][0]["bbox"] == pytest.approx([16, 12, 32, 24])


async def test_a_bad_document_imports_nothing(deps):
    with pytest.raises(InvalidArgument) as refused:
        await coco_ops.import_coco(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                   body=coco(box(1), box(2, image_id=9)))
    assert any(p["loc"][-1] == "image_id" for p in refused.value.detail)
    assert (await export(deps))["images"] == []
    with pytest.raises(InvalidArgument):
        await coco_ops.import_coco(deps=deps, caller=ANNOTATOR, project_id=PROJECT, body=b"{nope")
    with pytest.raises(InvalidArgument):
        await coco_ops.import_coco(deps=deps, caller=ANNOTATOR, project_id=PROJECT, body=orjson.dumps(
            {"coco": {}, "image_id_to_frame_index": {"1": {"frame": 0}}}))
    with pytest.raises(PermissionDenied):
        deps.projects.caller = VIEWER
        await coco_ops.import_coco(deps=deps, caller=VIEWER, project_id=PROJECT, body=coco(box(1)))


async def test_explicit_mappings(deps):
    body = orjson.dumps({"coco": orjson.loads(coco(box(1, category_id=2))), "category_id_to_feature_hash": {"2": CAR},
                         "image_id_to_frame_index": {"1": {"data_hash": hashes(5), "frame": 0}}})
    _, result = await coco_ops.import_coco(deps=deps, caller=ANNOTATOR, project_id=PROJECT, body=body)
    assert [r["data_hash"] for r in result["rows"]] == [hashes(5)]


async def test_no_ontology_is_refused(deps):
    async def none(*, project_id):
        return None
    deps.ontology.index_of = none
    with pytest.raises(FailedPrecondition):
        await coco_ops.import_coco(deps=deps, caller=ANNOTATOR, project_id=PROJECT, body=coco(box(1)))


@pytest.mark.parametrize("body", [
    {"coco": [1, 2]},
    {"categories": {"id": 1}, "images": [{"id": [1], "file_name": "img_001.png"}], "annotations": "none"},
    {"categories": [{"id": [1], "name": "car"}], "images": [{"id": {"x": 1}}], "annotations": [[]]},
], ids=["coco-not-an-object", "wrong-list-types", "unhashable-ids"])
async def test_malformed_documents_are_invalid_not_errors(deps, body):
    with pytest.raises(InvalidArgument):
        await coco_ops.import_coco(deps=deps, caller=ANNOTATOR, project_id=PROJECT, body=orjson.dumps(body))
