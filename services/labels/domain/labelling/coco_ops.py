"""COCO in and out of a project's label rows.

Import (Encord's ``import_coco_labels``): the COCO annotations become new objects appended to the
rows of the units their images map to (rows are created when needed), all in one transaction —
every annotation goes in or none does. Small documents are imported during the request; larger
ones (more than ``INLINE_ANNOTATIONS``) by a ``CocoImport`` job of this service, which is safe to
run again after a restart since an interrupted run wrote nothing.

Export: the project's created rows as one COCO document, streamed in chunks; rows are read a page
at a time and the document is written by a worker thread, so memory stays flat whatever the size.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from services.core.auth import Principal
from services.core.errors import DomainError, FailedPrecondition, InvalidArgument
from services.core.jobs import JobContext, JobFailed, JobKind
from services.core.problems import Problems
from services.labels import store
from services.labels.domain.coco.exporter import ExportRow, export_coco
from services.labels.domain.coco.importer import merge_into_labels, plan_coco_import
from services.labels.domain.labelling.editing import create_in, save_many_in
from services.labels.domain.labelling.ports import Deps
from services.labels.domain.labelling.rights import member_standing, require_edit
from services.labels.domain.rows.content import ANSWER_MAPS, UNITS, empty_content
from services.labels.domain.rows.validation import OntologyIndex

COCO_IMPORT = "CocoImport"
INLINE_ANNOTATIONS = 2_000
MAX_BODY_BYTES = 256 << 20
EXPORT_PAGE = 200
MAX_UNMATCHED_LISTED = 1_000
OPTION_KEYS = ("category_id_to_feature_hash", "image_id_to_frame_index", "confidence_field")


@dataclass(frozen=True)
class CocoImport:
    coco: Mapping
    category_to_feature: dict[int, str] | None   # None: categories matched to objects by name
    image_to_frame: dict[int, tuple[str, int]] | None  # None: from the images' data_hash/frame or file_name
    confidence_field: str | None


def parse_import(text: bytes) -> CocoImport:
    """The request body: a COCO document, or ``{"coco": …, "category_id_to_feature_hash": {id: hash},
    "image_id_to_frame_index": {id: {"data_hash", "frame"}}, "confidence_field": name}``."""
    problems = Problems(root=("body",), message="The COCO import is invalid.")
    try:
        body = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InvalidArgument(f"The body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        problems.add((), "dict_type", "must be a COCO document or {coco, category_id_to_feature_hash, …}")
        problems.raise_if_any()
    if "coco" not in body:
        return CocoImport(coco=body, category_to_feature=None, image_to_frame=None, confidence_field=None)
    unknown = sorted(set(body) - {"coco", *OPTION_KEYS})
    for key in unknown:
        problems.add((key,), "extra_forbidden", "is not an option of a COCO import")
    categories = _int_keys(body.get("category_id_to_feature_hash"), "category_id_to_feature_hash", problems,
                           lambda v: v if isinstance(v, str) and v else None, "a featureNodeHash")
    images = _int_keys(body.get("image_id_to_frame_index"), "image_id_to_frame_index", problems, _frame_index,
                       '{"data_hash": …, "frame": n}')
    if not isinstance(body["coco"], Mapping):
        problems.add(("coco",), "dict_type", "must be a COCO document {categories, images, annotations}")
    confidence = body.get("confidence_field")
    if confidence is not None and not (isinstance(confidence, str) and confidence):
        problems.add(("confidence_field",), "string_type", "must be the name of an annotation field")
    problems.raise_if_any()
    return CocoImport(coco=body["coco"], category_to_feature=categories, image_to_frame=images,
                      confidence_field=confidence)


def _frame_index(value: Any) -> tuple[str, int] | None:
    if isinstance(value, Mapping):
        value = (value.get("data_hash"), value.get("frame", 0))
    if (isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], str) and value[0]
            and isinstance(value[1], int) and not isinstance(value[1], bool) and value[1] >= 0):
        return value[0], value[1]
    return None


def _int_keys(value: Any, name: str, problems: Problems, convert, wanted: str) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        problems.add((name,), "dict_type", "must be an object keyed by COCO id")
        return None
    out = {}
    for key, item in value.items():
        converted = convert(item)
        if not str(key).lstrip("-").isdigit():
            problems.add((name, key), "int_parsing", "keys are COCO ids (integers)")
        elif converted is None:
            problems.add((name, key), "value_error", f"must be {wanted}")
        else:
            out[int(key)] = converted
    return out


def annotation_count(request: CocoImport) -> int:
    annotations = request.coco.get("annotations") if isinstance(request.coco, Mapping) else None
    return len(annotations) if isinstance(annotations, list) else 0


# --- import -------------------------------------------------------------------------------------

async def import_coco(*, deps: Deps, caller: Principal, project_id: int, body: bytes) -> tuple[int, dict | None]:
    """``(job id, None)`` when a job imports the document, ``(0, result)`` when it was imported now."""
    require_edit(caller=caller, standing=await member_standing(deps=deps, caller=caller, project_id=project_id))
    request = parse_import(body)
    index = await _ontology(deps, project_id)
    if annotation_count(request) <= INLINE_ANNOTATIONS:
        return 0, await apply_import(deps=deps, author=caller, project_id=project_id, request=request, index=index)
    kept = deps.spool_dir / "coco" / f"{uuid.uuid4().hex}.json"
    kept.parent.mkdir(parents=True, exist_ok=True)
    await asyncio.to_thread(kept.write_bytes, body)
    try:
        async with deps.db.transaction() as s:
            job_id = await deps.jobs.submit(s, type=COCO_IMPORT, owner_id=caller.require_user(),
                                            project_id=project_id, params={
                                                "project_id": project_id, "path": str(kept),
                                                "author": {"user_id": caller.user_id, "email": caller.email}})
    except BaseException:
        kept.unlink(missing_ok=True)
        raise
    return job_id, None


async def _ontology(deps: Deps, project_id: int) -> OntologyIndex:
    index = await deps.ontology.index_of(project_id=project_id)
    if index is None:
        raise FailedPrecondition("The project has no ontology: COCO categories map to its objects.")
    return index


def coco_import_job(deps: Deps) -> JobKind:
    async def run(ctx: JobContext) -> dict:
        path = Path(ctx.params["path"])
        if not path.exists():
            raise JobFailed(["The COCO document of this import is no longer kept: import it again."])
        project_id = ctx.params["project_id"]
        author = Principal(user_id=ctx.params["author"]["user_id"], email=ctx.params["author"]["email"])
        await ctx.progress(5, "Reading the COCO document")
        request = parse_import(await asyncio.to_thread(path.read_bytes))
        try:
            index = await _ontology(deps, project_id)
            result = await apply_import(deps=deps, author=author, project_id=project_id, request=request,
                                        index=index, progress=ctx.progress)
        except InvalidArgument as exc:
            problems = exc.detail if isinstance(exc.detail, list) else [{"loc": [], "msg": exc.message}]
            raise JobFailed([p["msg"] for p in problems[:100]],
                            result={"problems": problems}) from None
        except FailedPrecondition as exc:
            raise JobFailed([exc.message]) from None
        path.unlink(missing_ok=True)
        return result

    async def cleanup(ctx: JobContext) -> None:
        Path(ctx.params["path"]).unlink(missing_ok=True)

    # An interrupted run committed nothing (one transaction): running it again is safe.
    return JobKind(run=run, cleanup=cleanup, resumable=True)


async def _resolve_images(s, *, project_id: int, request: CocoImport) -> dict[int, tuple[str, int]]:
    """COCO image id → (data hash, frame): as given, else from the image's ``data_hash``/``frame``
    (a Copepod export), else the unit whose title is the image's ``file_name``."""
    if request.image_to_frame is not None:
        return request.image_to_frame
    images = [i for i in _entries(request.coco, "images") if isinstance(i.get("id"), int)]
    keyed = {i["id"] for i in images if isinstance(i.get("data_hash"), str) and isinstance(i.get("frame", 0), int)}
    out = {i["id"]: found for i in images if i["id"] in keyed and (found := _frame_index(i)) is not None}
    by_name = [i for i in images if i["id"] not in keyed and isinstance(i.get("file_name"), str)]
    titles = sorted({i["file_name"] for i in by_name})
    found: dict[str, list[str]] = {}
    for start in range(0, len(titles), 500):
        for row in await store.main_rows_by_title(s, project_id=project_id, titles=titles[start:start + 500]):
            found.setdefault(row.data_title, []).append(row.data_hash)
    for image in by_name:
        hashes = found.get(image["file_name"], [])
        if len(hashes) == 1:
            out[image["id"]] = (hashes[0], 0)
    return out


def _resolve_categories(request: CocoImport, index: OntologyIndex) -> dict[int, str]:
    if request.category_to_feature is not None:
        return request.category_to_feature
    by_name = {}
    for feature in index.objects.values():
        by_name.setdefault(feature.name.casefold(), feature.hash)
    return {c["id"]: by_name[c["name"].casefold()] for c in _entries(request.coco, "categories")
            if isinstance(c.get("name"), str) and c["name"].casefold() in by_name and isinstance(c.get("id"), int)}


def _entries(coco: Mapping, key: str) -> list[Mapping]:
    """The objects of one of the document's lists (the planner reports whatever else is there)."""
    value = coco.get(key)
    return [entry for entry in value if isinstance(entry, Mapping)] if isinstance(value, list) else []


async def apply_import(*, deps: Deps, author: Principal, project_id: int, request: CocoImport,
                       index: OntologyIndex, progress=None) -> dict:
    """Plan the import, then write every row it touches in one transaction (creating the rows not
    created yet); any refusal raises and leaves the project as it was."""
    async with deps.db.session() as s:
        image_to_frame = await _resolve_images(s, project_id=project_id, request=request)
    plan = await asyncio.to_thread(
        plan_coco_import, coco=request.coco, category_to_feature=_resolve_categories(request, index),
        image_to_frame=image_to_frame, ontology=index.structure, author=author.email or "", now=store.now(),
        confidence_field=request.confidence_field)
    hashes = list(plan.objects)
    if progress is not None:
        await progress(40, f"{plan.counts['imported']} annotations read; writing {len(hashes)} label rows")
    async with deps.db.transaction() as s:
        rows = {}
        for start in range(0, len(hashes), 500):
            for row in await store.main_rows(s, project_id=project_id, data_hashes=hashes[start:start + 500]):
                rows[row.data_hash] = row
        missing = [h for h in hashes if h not in rows]
        if missing:
            raise InvalidArgument(f"image_id_to_frame_index: {missing[0]} is not a data unit of project {project_id}")
        fresh = [h for h in hashes if rows[h].label_hash is None]
        for start in range(0, len(fresh), 500):
            await create_in(s, deps=deps, caller=author, project_id=project_id, data_hashes=fresh[start:start + 500],
                            branch=store.MAIN)
        edits = [(rows[h].label_hash, rows[h].version, _merged(rows[h], plan.objects[h], plan.object_answers.get(h, {})))
                 for h in hashes]
        outcomes = await save_many_in(s, deps=deps, caller=author, project_id=project_id, index=index, edits=edits)
        refused = next((o for o in outcomes if isinstance(o, DomainError)), None)
        if refused is not None:
            raise refused
    saved = [{"data_hash": h, "label_hash": o.label_hash, "version": o.version} for h, o in zip(hashes, outcomes)]
    return {"counts": {**plan.counts, "rows": len(saved)}, "unmatched": plan.unmatched[:MAX_UNMATCHED_LISTED],
            "rows": saved[:MAX_UNMATCHED_LISTED]}


def _merged(row, frames: dict[int, list], answers: dict) -> dict:
    """The row's labels with the imported objects appended, as a label blob for ``save_many_in``."""
    content = row.content or empty_content()
    units = {h: {"labels": (u or {}).get("labels") or {}} for h, u in (content.get(UNITS) or {}).items()}
    if row.data_type == "img_group":
        by_sequence = {u.get("sequence", 0): u["hash"] for u in row.units}
        targets = {by_sequence.get(frame, f"frame {frame}"): {0: objects} for frame, objects in frames.items()}
        unit_type = "image"
    else:
        targets, unit_type = {row.units[0]["hash"] if row.units else row.data_hash: frames}, row.data_type
    for unit_hash, unit_frames in targets.items():
        labels = units.get(unit_hash, {}).get("labels", {})
        units[unit_hash] = {"labels": merge_into_labels(labels=labels, data_type=unit_type, plan_objects=unit_frames)}
    return {"data_units": units, **{key: content.get(key) or {} for key in ANSWER_MAPS},
            "object_answers": {**(content.get("object_answers") or {}), **answers}}


# --- export -------------------------------------------------------------------------------------

async def export_chunks(*, deps: Deps, caller: Principal, project_id: int, branch_name: str = ""
                        ) -> AsyncIterator[bytes]:
    """The COCO document of the project's created rows, in chunks of about 64 KiB."""
    await member_standing(deps=deps, caller=caller, project_id=project_id)
    index = await _ontology(deps, project_id)
    branch = branch_name or store.MAIN
    loop = asyncio.get_running_loop()
    chunks: asyncio.Queue = asyncio.Queue(maxsize=8)
    stop = threading.Event()

    async def page(after_id: int) -> list:
        async with deps.db.session() as s:
            return await store.created_rows_page(s, project_id=project_id, branch_name=branch, after_id=after_id,
                                                 limit=EXPORT_PAGE)

    def rows() -> Iterator[ExportRow]:
        after = 0
        while not stop.is_set():
            found = asyncio.run_coroutine_threadsafe(page(after), loop).result()
            for row in found:
                yield from _export_rows(row)
            if len(found) < EXPORT_PAGE:
                return
            after = found[-1].id

    def put(item) -> None:
        asyncio.run_coroutine_threadsafe(chunks.put(item), loop).result()

    def write() -> None:
        try:
            for chunk in export_coco(ontology=index.structure, rows=rows(), info={
                    "description": f"Copepod project {project_id}, branch {branch}", "version": "1.0"}):
                if stop.is_set():
                    return
                put(chunk)
            put(None)
        except BaseException as exc:  # handed to the reader, raised there
            if not stop.is_set():
                put(exc)

    worker = loop.run_in_executor(None, write)
    try:
        while (item := await chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while not worker.done():  # a writer waiting for room sees ``stop`` once there is some
            while not chunks.empty():
                chunks.get_nowait()
            await asyncio.sleep(0.01)


def _export_rows(row) -> Iterator[ExportRow]:
    units = (row.content or {}).get(UNITS) or {}
    for unit in row.units:
        grouped = row.data_type == "img_group"
        yield ExportRow(data_hash=unit["hash"] if grouped else row.data_hash,
                        data_title=unit.get("title") if grouped else row.data_title,
                        data_type="image" if grouped else row.data_type, width=unit.get("width") or 1,
                        height=unit.get("height") or 1, labels=(units.get(unit["hash"]) or {}).get("labels") or {},
                        frame_count=unit.get("frames") or 1)
