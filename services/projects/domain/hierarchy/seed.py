"""Writing samples, acquisitions (with their processes) and objects with their images in bulk,
visible at once: for administrators and services (seeding, tooling). Imports use the same store
functions under their job, staged."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from services.core.auth import Principal
from services.core.errors import Conflict, InvalidArgument, NotFound, PermissionDenied
from services.projects import hierarchy_store as hs
from services.projects import store
from services.projects.domain.hierarchy.columns import FREE_TEXT_MAX, ORIG_ID_MAX
from services.projects.domain.hierarchy.events import OBJECT_CREATED, HierarchyEvents
from services.projects.domain.hierarchy.mappings import MAPPING_FIELD, extend_mapping
from services.projects.domain.lookup import load_project
from services.projects.domain.ports import Deps

MAX_ROWS = 10_000
MAX_IMAGES = 100
SUNPOS = frozenset("DUNA?")
BLOB_KEY = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class SampleIn:
    orig_id: str
    latitude: float | None = None
    longitude: float | None = None
    dataportal_descriptor: str = ""
    free: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AcquisitionIn:
    orig_id: str
    sample_orig_id: str
    instrument: str = ""
    free: dict[str, str] = field(default_factory=dict)
    process_orig_id: str = ""
    process_free: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ObjectIn:
    orig_id: str
    sample_orig_id: str
    acquisition_orig_id: str
    latitude: float | None = None
    longitude: float | None = None
    objdate: str = ""
    objtime: str = ""
    depth_min: float | None = None
    depth_max: float | None = None
    sunpos: str = ""
    object_link: str = ""
    complement_info: str = ""
    numbers: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    images: Sequence[hs.NewImage] = ()


@dataclass(frozen=True)
class Added:
    sample_ids: list[int]
    acquisition_ids: list[int]
    object_ids: list[int]


def parse_date(text: str) -> date | None:
    if not text:
        return None
    for fmt in ("%Y%m%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise InvalidArgument(f"Invalid date '{text[:30]}' (YYYYMMDD or YYYY-MM-DD).")


def parse_time(text: str) -> time | None:
    if not text:
        return None
    try:
        if ":" in text:
            return time.fromisoformat(text)
        if text.isdigit() and len(text) <= 6:
            padded = text.rjust(4, "0") if len(text) <= 4 else text.rjust(6, "0")
            return time(int(padded[0:2]), int(padded[2:4]), int(padded[4:6] or 0))
    except ValueError:
        pass
    raise InvalidArgument(f"Invalid time '{text[:30]}' (HHMM[SS] or HH:MM:SS).")


def _text(value: str, what: str, limit: int = FREE_TEXT_MAX, required: bool = False) -> str:
    if required and not value.strip():
        raise InvalidArgument(f"{what} may not be empty.")
    if len(value) > limit or "\x00" in value:
        raise InvalidArgument(f"{what} is too long (max {limit} characters) or holds NUL characters.")
    return value


def _coord(value: float | None, what: str, bound: float) -> float | None:
    if value is not None and (not math.isfinite(value) or abs(value) > bound):
        raise InvalidArgument(f"{what} {value} is out of range [-{bound}, {bound}].")
    return value


def _number(value: float | None, what: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise InvalidArgument(f"{what} must be a finite number.")
    return value


def _check_images(obj: ObjectIn) -> None:
    if len(obj.images) > MAX_IMAGES:
        raise InvalidArgument(f"Object {obj.orig_id}: at most {MAX_IMAGES} images.")
    ranks = [i.rank for i in obj.images]
    if len(set(ranks)) != len(ranks) or any(r < 0 or r >= MAX_IMAGES for r in ranks):
        raise InvalidArgument(f"Object {obj.orig_id}: image ranks must be distinct, from 0 to {MAX_IMAGES - 1}.")
    for i in obj.images:
        if not BLOB_KEY.match(i.blob_key) or (i.thumb_key and not BLOB_KEY.match(i.thumb_key)):
            raise InvalidArgument(f"Object {obj.orig_id}: a blob key is a sha256 in hexadecimal.")
        if i.width <= 0 or i.height <= 0 or not i.media_type.startswith("image/"):
            raise InvalidArgument(f"Object {obj.orig_id}: an image needs an image media type and a size.")


def _unique(values: Sequence[str], what: str) -> None:
    if len(set(values)) != len(values):
        raise InvalidArgument(f"Duplicate {what} orig_id in the request.")


def _free_db(free: dict, mapping: dict) -> dict:
    return {mapping[name]: value for name, value in free.items()}


async def add_hierarchy(*, deps: Deps, events: HierarchyEvents, caller: Principal, project_id: int,
                        samples: Sequence[SampleIn], acquisitions: Sequence[AcquisitionIn],
                        objects: Sequence[ObjectIn]) -> Added:
    # The gateway's own token stands for anonymous REST callers: it may not seed.
    if not caller.is_admin and caller.service in (None, "gateway"):
        raise PermissionDenied()
    if max(len(samples), len(acquisitions), len(objects)) > MAX_ROWS:
        raise InvalidArgument(f"At most {MAX_ROWS} rows of each kind per call.")
    await load_project(deps=deps, project_id=project_id)
    for s in samples:
        _text(s.orig_id, "Sample orig_id", ORIG_ID_MAX, required=True)
        _coord(s.latitude, "Sample latitude", 90)
        _coord(s.longitude, "Sample longitude", 180)
        _text(s.dataportal_descriptor, "dataportal_descriptor", 8000)
        [_text(v, f"Sample column {k[:50]}") for k, v in s.free.items()]
    _unique([s.orig_id for s in samples], "sample")
    for a in acquisitions:
        _text(a.orig_id, "Acquisition orig_id", ORIG_ID_MAX, required=True)
        _text(a.process_orig_id, "Process orig_id", ORIG_ID_MAX)
        _text(a.instrument, "instrument", 255)
        [_text(v, f"Acquisition column {k[:50]}") for k, v in {**a.free, **a.process_free}.items()]
    _unique([f"{a.sample_orig_id}\x00{a.orig_id}" for a in acquisitions], "acquisition")
    heads = []
    for o in objects:
        _text(o.orig_id, "Object orig_id", ORIG_ID_MAX, required=True)
        if o.sunpos and o.sunpos not in SUNPOS:
            raise InvalidArgument(f"Object {o.orig_id}: sunpos is one of D, U, N, A, ?.")
        [_number(v, f"Object column {k[:50]}") for k, v in o.numbers.items()]
        [_text(v, f"Object column {k[:50]}") for k, v in o.texts.items()]
        _check_images(o)
        heads.append({"latitude": _coord(o.latitude, "Object latitude", 90),
                      "longitude": _coord(o.longitude, "Object longitude", 180),
                      "objdate": parse_date(o.objdate), "objtime": parse_time(o.objtime),
                      "depth_min": _number(o.depth_min, "depth_min"), "depth_max": _number(o.depth_max, "depth_max"),
                      "sunpos": o.sunpos or "?", "object_link": _text(o.object_link, "object_link", 255) or None,
                      "complement_info": _text(o.complement_info, "complement_info", 8000) or None})
    _unique([o.orig_id for o in objects], "object")

    async with deps.db.transaction() as s:
        project = await store.get_project(s, project_id=project_id)
        if project is None:
            raise NotFound()
        # Names in sorted order: the request's maps have no order of their own.
        wanted = {
            ("sample", "t"): sorted({k for x in samples for k in x.free}),
            ("acquisition", "t"): sorted({k for x in acquisitions for k in x.free}),
            ("process", "t"): sorted({k for x in acquisitions for k in x.process_free}),
            ("object", "n"): sorted({k for x in objects for k in x.numbers}),
            ("object", "t"): sorted({k for x in objects for k in x.texts}),
        }
        changed = []
        for (kind, type_), names in wanted.items():
            name = MAPPING_FIELD[kind]
            current = getattr(project, name)
            extended = extend_mapping(current, kind=kind, names=names, type=type_)
            if extended != current:
                setattr(project, name, extended)
                changed.append(name)
        if changed:
            s.add(project)
            deps.events.updated(s, project=project, actor_id=caller.user_id, changed_fields=changed)
        maps = {k: getattr(project, MAPPING_FIELD[k]) for k in MAPPING_FIELD}

        existing = await hs.sample_ids_by_orig_id(s, project_id=project_id, orig_ids=[x.orig_id for x in samples],
                                                  include_staged=True)
        if existing:
            raise Conflict(f"Sample '{min(existing)}' exists already in this project.")
        sample_ids = await hs.add_samples(s, project_id=project_id, rows=[
            {"orig_id": x.orig_id, "latitude": x.latitude, "longitude": x.longitude,
             "dataportal_descriptor": x.dataportal_descriptor, **_free_db(x.free, maps["sample"])} for x in samples])
        sample_of = await hs.sample_ids_by_orig_id(s, project_id=project_id,
                                                   orig_ids=[a.sample_orig_id for a in acquisitions])
        missing = [a.sample_orig_id for a in acquisitions if a.sample_orig_id not in sample_of]
        if missing:
            raise InvalidArgument(f"Unknown sample '{missing[0][:100]}' for an acquisition.")
        known = await hs.acquisition_ids_by_orig_id(s, project_id=project_id, include_staged=True)
        clash = [a for a in acquisitions if (a.sample_orig_id, a.orig_id) in known]
        if clash:
            raise Conflict(f"Acquisition '{clash[0].orig_id}' exists already in sample '{clash[0].sample_orig_id}'.")
        acquisition_ids = await hs.add_acquisitions(s, rows=[
            {"acq_sample_id": sample_of[a.sample_orig_id], "orig_id": a.orig_id, "instrument": a.instrument,
             **_free_db(a.free, maps["acquisition"])} for a in acquisitions])
        await hs.add_processes(s, rows=[
            {"processid": aid, "orig_id": a.process_orig_id or a.orig_id, **_free_db(a.process_free, maps["process"])}
            for a, aid in zip(acquisitions, acquisition_ids)])

        object_ids: list[int] = []
        if objects:
            known = await hs.acquisition_ids_by_orig_id(s, project_id=project_id)
            missing = [o for o in objects if (o.sample_orig_id, o.acquisition_orig_id) not in known]
            if missing:
                raise InvalidArgument(f"Object {missing[0].orig_id}: unknown acquisition "
                                      f"'{missing[0].acquisition_orig_id[:100]}' in sample "
                                      f"'{missing[0].sample_orig_id[:100]}'.")
            taken = await hs.object_ids_by_orig_id(s, project_id=project_id, orig_ids=[o.orig_id for o in objects],
                                                   include_staged=True)
            if taken:
                raise Conflict(f"Object '{min(taken)}' exists already in this project.")
            dataset = await hs.ensure_own_dataset(s, project_id=project_id, owner_id=project.creator_id)
            new = []
            for o, head in zip(objects, heads):
                acquisid, sampleid = known[(o.sample_orig_id, o.acquisition_orig_id)]
                new.append(hs.NewObject(
                    acquisid=acquisid, sampleid=sampleid, orig_id=o.orig_id, head=head, images=o.images,
                    fields={**_free_db(o.numbers, maps["object"]), **_free_db(o.texts, maps["object"])}))
            object_ids = await hs.add_objects(s, project_id=project_id, dataset_id=dataset.id,
                                              creator_id=caller.user_id or project.creator_id, objects=new)
            events.emit(s, subject=OBJECT_CREATED, project_id=project_id, ids=object_ids, actor_id=caller.user_id)
    return Added(sample_ids=sample_ids, acquisition_ids=acquisition_ids, object_ids=object_ids)
