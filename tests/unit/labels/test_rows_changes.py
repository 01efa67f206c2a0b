"""What a save changed, per instance and frame, with Encord's label log action codes."""

from __future__ import annotations

import copy

from services.labels.domain.rows.changes import Action, Change, diff_content


def box(object_hash: str, x: float, *, feature: str = "car00001", name: str = "Car", **extra) -> dict:
    return {"name": name, "shape": "bounding_box", "objectHash": object_hash, "featureHash": feature,
            "boundingBox": {"x": x, "y": 0.2, "w": 0.3, "h": 0.4}, **extra}


def weather(classification_hash: str = "cls1") -> dict:
    return {"name": "Weather", "classificationHash": classification_hash, "featureHash": "wthr0001"}


def video(frames: dict, **answers) -> dict:
    return {"units": {"vid1": {"labels": frames}}, "object_answers": answers.get("object_answers", {}),
            "classification_answers": answers.get("classification_answers", {}),
            "object_actions": answers.get("object_actions", {})}


def note(text: str) -> dict:
    return {"name": "Note", "featureHash": "note0001", "manualAnnotation": True, "answers": text}


def before_row() -> dict:
    return video({"0": {"objects": [box("obj1", 0.1)], "classifications": [weather()]},
                  "1": {"objects": [box("obj1", 0.1)], "classifications": []},
                  "2": {"objects": [box("obj2", 0.5, feature="road0001", name="Road")], "classifications": []}},
                 object_answers={"obj1": {"objectHash": "obj1", "classifications": [note("parked"), note("x")]}},
                 classification_answers={"cls1": {"featureHash": "wthr0001", "classifications": [
                     {"featureHash": "wthratt1", "answers": [{"featureHash": "rain0001"}]}]}},
                 object_actions={"obj1": {"actions": [{"featureHash": "occl0001", "range": [[0, 1]],
                                                       "answers": [{"featureHash": "occlyes1"}]}]}})


def test_action_codes_are_encords():
    assert (Action.ADD, Action.EDIT, Action.DELETE) == (0, 1, 2)


def test_adds_edits_and_deletes_per_frame_in_order():
    before = before_row()
    after = copy.deepcopy(before)
    frames = after["units"]["vid1"]["labels"]
    frames["1"]["objects"][0]["boundingBox"]["x"] = 0.2
    frames["2"]["objects"] = []
    frames["3"] = {"objects": [box("obj1", 0.3)], "classifications": [weather()]}
    frames["0"]["objects"].append(box("obj3", 0.7))
    assert diff_content(before=before, after=after) == [
        Change(action=Action.ADD, identifier="obj3", feature_hash="car00001", frame=0, label_name="Car"),
        Change(action=Action.EDIT, identifier="obj1", feature_hash="car00001", frame=1, label_name="Car"),
        Change(action=Action.DELETE, identifier="obj2", feature_hash="road0001", frame=2, label_name="Road"),
        Change(action=Action.ADD, identifier="obj1", feature_hash="car00001", frame=3, label_name="Car"),
        Change(action=Action.ADD, identifier="cls1", feature_hash="wthr0001", frame=3, label_name="Weather"),
    ]


def test_an_unchanged_row_logs_nothing():
    assert diff_content(before=before_row(), after=before_row()) == []


def test_fields_other_than_geometry_are_not_edits():
    after = before_row()
    after["units"]["vid1"]["labels"]["0"]["objects"][0].update(confidence=0.5, lastEditedAt="now",
                                                                manualAnnotation=False)
    assert diff_content(before=before_row(), after=after) == []


def test_a_changed_feature_is_an_edit():
    after = before_row()
    after["units"]["vid1"]["labels"]["2"]["objects"][0]["featureHash"] = "lane0001"
    assert diff_content(before=before_row(), after=after) == [
        Change(action=Action.EDIT, identifier="obj2", feature_hash="lane0001", frame=2, label_name="Road")]


def test_changed_object_answers_are_one_edit_on_the_first_frame():
    after = before_row()
    after["object_answers"]["obj1"]["classifications"][0]["answers"] = "moving"
    assert diff_content(before=before_row(), after=after) == [
        Change(action=Action.EDIT, identifier="obj1", feature_hash="car00001", frame=0, label_name="Car")]


def test_changed_dynamic_answers_are_an_edit():
    after = before_row()
    after["object_actions"]["obj1"]["actions"][0]["range"] = [[0, 0]]
    assert diff_content(before=before_row(), after=after) == [
        Change(action=Action.EDIT, identifier="obj1", feature_hash="car00001", frame=0, label_name="Car")]


def test_changed_classification_answers_are_an_edit():
    after = before_row()
    after["classification_answers"]["cls1"]["classifications"][0]["answers"] = [{"featureHash": "sun00001"}]
    assert diff_content(before=before_row(), after=after) == [
        Change(action=Action.EDIT, identifier="cls1", feature_hash="wthr0001", frame=0, label_name="Weather")]


def test_answers_in_another_order_are_not_an_edit():
    after = before_row()
    after["object_answers"]["obj1"]["classifications"].reverse()
    assert diff_content(before=before_row(), after=after) == []


def test_an_answer_edit_on_a_frame_already_logged_is_not_repeated():
    after = before_row()
    after["units"]["vid1"]["labels"]["0"]["objects"][0]["boundingBox"]["y"] = 0.5
    after["object_answers"]["obj1"]["classifications"] = []
    assert diff_content(before=before_row(), after=after) == [
        Change(action=Action.EDIT, identifier="obj1", feature_hash="car00001", frame=0, label_name="Car")]


def test_answers_of_a_new_or_removed_object_are_covered_by_its_add_or_delete():
    before = video({"0": {"objects": [box("obj1", 0.1)]}}, object_answers={
        "obj1": {"classifications": [note("a")]}})
    after = video({"0": {"objects": [box("obj2", 0.1)]}}, object_answers={
        "obj2": {"classifications": [note("b")]}})
    assert diff_content(before=before, after=after) == [
        Change(action=Action.DELETE, identifier="obj1", feature_hash="car00001", frame=0, label_name="Car"),
        Change(action=Action.ADD, identifier="obj2", feature_hash="car00001", frame=0, label_name="Car")]


def test_a_new_row_adds_everything_and_a_cleared_row_deletes_everything():
    row = before_row()
    added = diff_content(before={}, after=row)
    deleted = diff_content(before=row, after={"units": {}})
    assert [(c.action, c.identifier, c.frame) for c in added] == [
        (Action.ADD, "obj1", 0), (Action.ADD, "cls1", 0), (Action.ADD, "obj1", 1), (Action.ADD, "obj2", 2)]
    assert [(c.action, c.identifier, c.frame) for c in deleted] == [
        (Action.DELETE, "obj1", 0), (Action.DELETE, "cls1", 0), (Action.DELETE, "obj1", 1), (Action.DELETE, "obj2", 2)]


def test_image_units_use_their_frame_numbers():
    before = {"units": {"img0": {"labels": {"objects": [box("obj1", 0.1)]}},
                        "img1": {"labels": {"objects": [box("obj1", 0.1)], "classifications": []}}}}
    after = {"units": {"img1": {"labels": {"objects": [box("obj1", 0.4)], "classifications": [weather("cls9")]}},
                       "img0": {"labels": {"objects": [box("obj1", 0.1)]}},
                       "img7": {"labels": {"objects": [box("obj5", 0.1, name="")]}}}}
    assert diff_content(before=before, after=after, image_frames={"img0": 0, "img1": 1}) == [
        Change(action=Action.ADD, identifier="obj5", feature_hash="car00001", frame=0, label_name=""),
        Change(action=Action.EDIT, identifier="obj1", feature_hash="car00001", frame=1, label_name="Car"),
        Change(action=Action.ADD, identifier="cls9", feature_hash="wthr0001", frame=1, label_name="Weather")]


def test_the_order_does_not_depend_on_the_input_order():
    after = before_row()
    after["units"]["vid1"]["labels"]["0"]["objects"] = [box("z", 0.1), box("a", 0.1), box("obj1", 0.1)]
    reordered = copy.deepcopy(after)
    reordered["units"]["vid1"]["labels"] = dict(reversed(list(reordered["units"]["vid1"]["labels"].items())))
    reordered["units"]["vid1"]["labels"]["0"]["objects"].reverse()
    expected = [Change(action=Action.ADD, identifier="a", feature_hash="car00001", frame=0, label_name="Car"),
                Change(action=Action.ADD, identifier="z", feature_hash="car00001", frame=0, label_name="Car")]
    assert diff_content(before=before_row(), after=after) == expected
    assert diff_content(before=before_row(), after=reordered) == expected


def test_unreadable_entries_are_skipped():
    after = before_row()
    after["units"]["vid1"]["labels"]["9"] = {"objects": ["x", {"objectHash": 3}]}
    after["object_answers"]["obj1"] = "x"
    assert diff_content(before=before_row(), after=after) == [
        Change(action=Action.EDIT, identifier="obj1", feature_hash="car00001", frame=0, label_name="Car")]
