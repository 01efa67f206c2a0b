"""COCO export: an import exported again reads the same in pycocotools (boxes, polygons, masks),
every shape's annotation, video frames as images, and 10,000 rows streamed without holding them."""

from __future__ import annotations

import json
import weakref
from datetime import datetime, timezone

import numpy as np
import orjson
import pytest
from pycocotools import mask as coco_mask
from pycocotools.coco import COCO

from services.labels.domain.coco.exporter import ExportRow, export_coco
from services.labels.domain.coco.importer import plan_coco_import

W, H = 49, 37  # 1/49 * 49 != 1 in floating point: whole pixels must still come back whole
ONTOLOGY = {"objects": [
    {"name": "Car", "color": "#D33115", "shape": "bounding_box", "featureNodeHash": "box00001"},
    {"name": "Road", "color": "#68BC00", "shape": "polygon", "featureNodeHash": "poly0001"},
    {"name": "Cell", "color": "#009CE0", "shape": "bitmask", "featureNodeHash": "mask0001"},
    {"name": "Eye", "color": "#FCDC00", "shape": "point", "featureNodeHash": "point001"},
    {"name": "Body", "color": "#7B64FF", "shape": "skeleton", "featureNodeHash": "skel0001"},
    {"name": "Lane", "color": "#FA28FF", "shape": "polyline", "featureNodeHash": "line0001"},
]}


def export(rows, **options) -> dict:
    return orjson.loads(b"".join(export_coco(ontology=ONTOLOGY, rows=rows, **options)))


def coco_api(dataset: dict) -> COCO:
    api = COCO()
    api.dataset = dataset
    api.createIndex()
    return api


def image_row(objects: list, *, data_hash: str = "row-a", title: str = "a.png") -> ExportRow:
    return ExportRow(data_hash=data_hash, data_title=title, data_type="image", width=W, height=H,
                     labels={"objects": objects, "classifications": []})


def frame_object(feature_hash: str, **coordinates) -> dict:
    return {"objectHash": "obj00001", "featureHash": feature_hash, "confidence": 0.5, **coordinates}


def asymmetric_mask() -> np.ndarray:
    mask = np.zeros((H, W), dtype=np.uint8)
    mask[2:30, 5:9] = 1
    mask[25:30, 9:40] = 1
    mask[0, 48] = 1
    return mask


def source_document() -> dict:
    rle = coco_mask.encode(np.asfortranarray(asymmetric_mask()))
    rle["counts"] = rle["counts"].decode("ascii")
    return {
        "categories": [{"id": 7, "name": "car"}, {"id": 8, "name": "road"}, {"id": 9, "name": "cell"}],
        "images": [{"id": 100, "width": W, "height": H}],
        "annotations": [
            {"id": 1, "image_id": 100, "category_id": 7, "bbox": [1, 2, 13, 29], "area": 377, "iscrowd": 0},
            {"id": 2, "image_id": 100, "category_id": 8, "bbox": [3.5, 1, 40, 30], "area": 600, "iscrowd": 0,
             "segmentation": [[3.5, 1.25, 43.5, 1.0, 20.1, 31.0, 7.0, 20.0]]},
            {"id": 3, "image_id": 100, "category_id": 9, "bbox": [5, 0, 44, 30], "area": 268, "iscrowd": 1,
             "segmentation": rle},
        ],
    }


@pytest.fixture(scope="module")
def round_trip() -> tuple[COCO, COCO]:
    source = source_document()
    plan = plan_coco_import(coco=source, category_to_feature={7: "box00001", 8: "poly0001", 9: "mask0001"},
                            image_to_frame={100: ("row-a", 0)}, ontology=ONTOLOGY, author="a@b.c",
                            now=datetime(2024, 1, 2, tzinfo=timezone.utc))
    exported = export(lambda: [image_row(plan.objects["row-a"][0])])
    return coco_api(source), coco_api(exported)


# --- round trip through pycocotools -------------------------------------------------------------
def test_round_trip_keeps_box_pixels_exactly(round_trip):
    source, exported = round_trip
    [box] = exported.loadAnns(exported.getAnnIds(catIds=[1]))
    assert box["bbox"] == source.anns[1]["bbox"] == [1, 2, 13, 29]
    assert box["area"] == 13 * 29
    assert box["segmentation"] == [[1, 2, 14, 2, 14, 31, 1, 31]]


def test_round_trip_keeps_polygon_vertices(round_trip):
    source, exported = round_trip
    [polygon] = exported.loadAnns(exported.getAnnIds(catIds=[2]))
    [ring] = polygon["segmentation"]
    assert ring == pytest.approx(source.anns[2]["segmentation"][0], abs=1e-6)
    assert polygon["bbox"] == pytest.approx([3.5, 1.0, 40.0, 30.0], abs=1e-6)


def test_round_trip_keeps_the_mask_pixel_for_pixel(round_trip):
    source, exported = round_trip
    [mask] = exported.loadAnns(exported.getAnnIds(catIds=[3]))
    original = source.annToMask(source.anns[3])
    assert original.shape == (H, W) and not np.array_equal(original, original[::-1, ::-1])
    assert np.array_equal(exported.annToMask(mask), original)
    assert mask["area"] == int(original.sum())
    assert mask["bbox"] == [5, 0, 44, 30]


def test_export_has_one_image_and_the_ontology_categories(round_trip):
    _source, exported = round_trip
    assert exported.dataset["images"] == [{"id": 1, "file_name": "a.png", "width": W, "height": H,
                                           "data_hash": "row-a", "frame": 0}]
    assert exported.dataset["categories"][:3] == [{"id": 1, "name": "Car", "supercategory": "bounding_box"},
                                                  {"id": 2, "name": "Road", "supercategory": "polygon"},
                                                  {"id": 3, "name": "Cell", "supercategory": "bitmask"}]
    assert [a["id"] for a in exported.dataset["annotations"]] == [1, 2, 3]


# --- shapes -------------------------------------------------------------------------------------
def only_annotation(obj: dict) -> dict:
    [annotation] = export(lambda: [image_row([obj])])["annotations"]
    return annotation


def test_point_is_one_visible_keypoint():
    annotation = only_annotation(frame_object("point001", point={"0": {"x": 0.5, "y": 0.25}}))
    assert annotation["keypoints"] == [24.5, 9.25, 2] and annotation["num_keypoints"] == 1
    assert annotation["bbox"] == [24.5, 9.25, 0, 0] and annotation["category_id"] == 4


def test_skeleton_keypoints_carry_coco_visibility():
    skeleton = {"0": {"x": 0.0, "y": 0.0, "name": "head"},
                "1": {"x": 1.0, "y": 1.0, "name": "neck", "occluded": True},
                "2": {"x": 0.5, "y": 0.5, "name": "hand", "invisible": True},
                "10": {"x": 0.5, "y": 0.0, "name": "foot", "visible": True}}
    annotation = only_annotation(frame_object("skel0001", skeleton=skeleton))
    assert annotation["keypoints"] == [0, 0, 2, 49, 37, 1, 0, 0, 0, 24.5, 0, 2]
    assert annotation["num_keypoints"] == 3
    assert annotation["bbox"] == [0, 0, 49, 37]


def test_polygon_with_a_hole_is_exported_as_a_mask_with_shapely_area():
    outer = [10 / W, 10 / H, 20 / W, 10 / H, 20 / W, 20 / H, 10 / W, 20 / H]
    hole = [12 / W, 12 / H, 14 / W, 12 / H, 14 / W, 14 / H, 12 / W, 14 / H]
    annotation = only_annotation(frame_object("poly0001", polygons=[[outer, hole]]))
    assert annotation["area"] == pytest.approx(100 - 4)
    assert annotation["bbox"] == pytest.approx([10, 10, 10, 10])
    mask = coco_mask.decode(annotation["segmentation"])
    assert mask.shape == (H, W)
    assert mask[11, 11] == 1 and mask[13, 13] == 0 and mask[11, 25] == 0


def test_annotation_attributes_name_the_object_confidence_and_frame():
    annotation = only_annotation(frame_object("box00001", boundingBox={"x": 0, "y": 0, "w": 1, "h": 1}))
    assert annotation["attributes"] == {"encord_object_hash": "obj00001", "confidence": 0.5, "frame": 0}
    assert annotation["iscrowd"] == 0 and annotation["bbox"] == [0, 0, 49, 37]


def test_objects_without_a_coco_form_or_a_category_are_left_out():
    objects = [frame_object("line0001", polyline={"0": {"x": 0, "y": 0}, "1": {"x": 1, "y": 1}}),
               frame_object("gone0001", boundingBox={"x": 0, "y": 0, "w": 1, "h": 1}),
               frame_object("box00001", boundingBox={"x": 0, "y": 0, "w": 0.5, "h": 1})]
    annotations = export(lambda: [image_row(objects)])["annotations"]
    assert [(a["id"], a["category_id"]) for a in annotations] == [(1, 1)]


def test_video_gives_one_image_per_labelled_frame():
    box = frame_object("box00001", boundingBox={"x": 0, "y": 0, "w": 0.5, "h": 0.5})
    video = ExportRow(data_hash="vid", data_title="clip.mp4", data_type="video", width=W, height=H,
                      labels={"10": {"objects": [box]}, "2": {"objects": [box, box]}, "3": {"objects": []}},
                      frame_count=20)
    dataset = export(lambda: [image_row([]), video])
    assert [(i["id"], i["file_name"], i["frame"]) for i in dataset["images"]] == [
        (1, "a.png", 0), (2, "clip.mp4/2", 2), (3, "clip.mp4/10", 10)]
    assert [(a["id"], a["image_id"], a["attributes"]["frame"]) for a in dataset["annotations"]] == [
        (1, 2, 2), (2, 2, 2), (3, 3, 10)]


def test_a_plain_iterable_is_read_once_and_gives_the_same_document():
    rows = [image_row([frame_object("box00001", boundingBox={"x": 0, "y": 0, "w": 0.5, "h": 1})], data_hash=h)
            for h in ("r1", "r2", "r3")]
    assert export(iter(rows)) == export(lambda: rows)


def test_info_is_written_when_given():
    assert export(lambda: [], info={"description": "x", "year": 2024})["info"] == {"description": "x", "year": 2024}


# --- streaming ----------------------------------------------------------------------------------
class LiveRows:
    """Makes rows and counts how many are alive at once."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.alive = 0
        self.peak = 0
        self.made = 0

    def _gone(self) -> None:
        self.alive -= 1

    def __call__(self):
        for index in range(self.count):
            row = image_row([frame_object("box00001", boundingBox={"x": 0.25, "y": 0.5, "w": 0.5, "h": 0.25})],
                            data_hash=f"row-{index}", title=f"{index}.png")
            weakref.finalize(row, self._gone)
            self.alive += 1
            self.made += 1
            self.peak = max(self.peak, self.alive)
            yield row
            del row


@pytest.mark.parametrize("as_factory", [True, False], ids=["factory", "iterable"])
def test_ten_thousand_rows_stream_without_being_held(as_factory):
    rows = LiveRows(10_000)
    chunks = export_coco(ontology=ONTOLOGY, rows=rows if as_factory else rows())
    pieces = list(chunks)
    assert len(pieces) > 10
    assert rows.peak <= 2
    assert rows.made == (20_000 if as_factory else 10_000)
    dataset = json.loads(b"".join(pieces))
    assert len(dataset["images"]) == len(dataset["annotations"]) == 10_000
    assert [i["id"] for i in dataset["images"]] == list(range(1, 10_001))
    assert dataset["annotations"][-1] == {
        "id": 10_000, "image_id": 10_000, "category_id": 1, "segmentation": [[12.25, 18.5, 36.75, 18.5, 36.75, 27.75,
                                                                             12.25, 27.75]],
        "area": 226.625, "bbox": [12.25, 18.5, 24.5, 9.25], "iscrowd": 0,
        "attributes": {"encord_object_hash": "obj00001", "confidence": 0.5, "frame": 0}}
