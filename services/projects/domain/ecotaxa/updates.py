"""Imports in update mode (docs/ecotaxa-import.md): ``"Yes"`` writes the file's values over
existing objects and their samples, acquisitions and processes; ``"Cla"`` also gives objects the
classification their line holds. Nothing is created; objects the project does not hold are
skipped (and counted in the result's infos).

All or nothing: every value was checked by the survey, and the projects database is written in
one transaction at the end of the run (which holds the database's write lock while it applies).
Classifications follow through the labels service once that transaction committed, in batches
it applies idempotently, so a run taken up after an interruption finishes the work."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from services.core.bus import utcnow
from services.projects import hierarchy_store as hs
from services.projects import store
from services.projects.domain.ecotaxa import bundle
from services.projects.domain.ecotaxa.sunpos import sun_position
from services.projects.domain.ecotaxa.tsv import Line
from services.projects.domain.hierarchy.events import OBJECT_UPDATED, UPDATED

BATCH = 1000
CLASSIFICATIONS_PER_CALL = 10_000
POSITION = ("objdate", "objtime", "latitude", "longitude")


def _batches(source, survey, problem) -> Iterator[list[Line]]:
    """Every file's lines, ``BATCH`` at a time. Blocking."""
    for tsv in survey.files:
        batch: list[Line] = []
        for line in bundle.read_lines(source, tsv, problem):
            batch.append(line)
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


async def _each_batch(source, survey):
    def problem(text: str, line: int | None) -> None:
        raise RuntimeError(f"line {line}: {text}")  # the survey read these lines without a problem

    it = _batches(source, survey, problem)
    while batch := await asyncio.to_thread(next, it, None):
        yield batch


async def update(loader, source) -> dict:
    """Run the update (``loader``: the job's ``_Loader``, for its mappings and classification rules)."""
    ctx, deps, project_id = loader.ctx, loader.deps, loader.project_id
    if not ctx.inside.get("updated"):
        counts = await _write(loader, source)
        ctx.inside.update(updated=True, counts=counts)
        await ctx.save_inside()
    counts = ctx.inside["counts"]
    if loader.r.update_mode == "Cla":
        await ctx.progress(80, "Updating classifications")
        rows: list[dict] = []
        async for batch in _each_batch(source, loader.survey):
            firsts = {ln.object_id: ln for ln in reversed(batch) if ln.status}
            async with deps.db.session() as s:
                ids = await hs.object_ids_by_orig_id(s, project_id=project_id, orig_ids=list(firsts))
            rows += [loader._classification(ids[o], ln) for o, ln in firsts.items() if o in ids]
            if len(rows) >= CLASSIFICATIONS_PER_CALL:
                counts["classifications"] = counts.get("classifications", 0) + await deps.peers.apply_classifications(
                    project_id=project_id, rows=rows, actor_id=ctx.owner_id)
                rows = []
        if rows:
            counts["classifications"] = counts.get("classifications", 0) + await deps.peers.apply_classifications(
                project_id=project_id, rows=rows, actor_id=ctx.owner_id)
    return counts


async def _write(loader, source) -> dict[str, int]:
    ctx, deps, project_id = loader.ctx, loader.deps, loader.project_id
    maps = loader.maps
    updated: list[int] = []
    missing = 0
    parents: dict[str, dict[str, dict]] = {"sample": {}, "acquisition": {}, "process": {}}
    # No progress from inside the write transaction: it would write the job's row from another
    # connection while this one holds SQLite's write lock.
    await ctx.progress(25, f"Updating the objects of {len(loader.survey.files)} file(s)")
    async with deps.db.transaction() as s:
        async for batch in _each_batch(source, loader.survey):
            firsts = {ln.object_id: ln for ln in reversed(batch)}
            ids = await hs.object_ids_by_orig_id(s, project_id=project_id, orig_ids=list(firsts))
            missing += sum(1 for o in firsts if o not in ids)
            heads, fields, moved = [], [], []
            for orig_id, objid in ids.items():
                line = firsts[orig_id]
                if line.head:
                    heads.append({"objid": objid, **line.head})
                    if any(k in line.head for k in POSITION):
                        moved.append(objid)
                values = {maps["object"][k]: v for k, v in line.numbers.items()}
                values.update({maps["object"][k]: v for k, v in line.texts.items()})
                if values:
                    fields.append({"objid": objid, **values})
                _parents(parents, line, maps)
            await hs.update_each(s, table=hs.obj_head, key=hs.obj_head.c.objid, rows=heads)
            await hs.update_each(s, table=hs.obj_field, key=hs.obj_field.c.objid, rows=fields)
            await _sunpos(s, moved)
            updated += list(ids.values())
        samples = await _update_parents(s, project_id, parents)
        if updated:
            deps.hierarchy_events.emit(s, subject=OBJECT_UPDATED, project_id=project_id, ids=sorted(updated),
                                       actor_id=ctx.owner_id, job_id=ctx.job_id)
        for kind, ids in samples.items():
            if ids:
                deps.hierarchy_events.emit(s, subject=UPDATED[kind], project_id=project_id, ids=ids,
                                           actor_id=ctx.owner_id, job_id=ctx.job_id)
        await hs.propagate_geo(s, project_id=project_id)
        project = await store.get_project(s, project_id=project_id)
        loaded = list(project.fileloaded or [])
        project.fileloaded = loaded + [f.relative for f in loader.survey.files if f.relative not in loaded]
        project.last_edited_at = utcnow()
        s.add(project)
    if missing:
        loader.survey.infos.append(f"{missing} object(s) of the files are not in the project: skipped.")
    return {"rowcount": len(updated), "skipped": missing}


def _parents(parents: dict, line: Line, maps: dict) -> None:
    """The values the line gives its sample, acquisition and process (the first line naming one wins)."""
    for kind, parent, fixed in (("sample", line.sample, ("dataportal_descriptor",)),
                                ("acquisition", line.acquisition, ("instrument",)), ("process", line.process, ())):
        key = parent.orig_id if kind == "sample" else f"{line.sample.orig_id}\x00{line.acquisition.orig_id}"
        if key in parents[kind]:
            continue
        values = {k: v for k, v in parent.fixed.items() if k in fixed}
        values.update({maps[kind][k]: v for k, v in parent.free.items()})
        parents[kind][key] = values


async def _update_parents(s, project_id: int, parents: dict) -> dict[str, list[int]]:
    samples = await hs.sample_ids_by_orig_id(s, project_id=project_id, orig_ids=list(parents["sample"]))
    acquisitions = await hs.acquisition_ids_by_orig_id(s, project_id=project_id)
    touched: dict[str, list[int]] = {}
    rows = [{"sampleid": samples[k], **v} for k, v in parents["sample"].items() if k in samples and v]
    await hs.update_each(s, table=hs.sample, key=hs.sample.c.sampleid, rows=rows)
    touched["sample"] = [r["sampleid"] for r in rows]
    for kind, table, key in (("acquisition", hs.acquisition, hs.acquisition.c.acquisid),
                             ("process", hs.process, hs.process.c.processid)):
        rows = []
        for k, v in parents[kind].items():
            found = acquisitions.get(tuple(k.split("\x00", 1)))
            if found is not None and v:
                rows.append({key.name: found[0], **v})
        await hs.update_each(s, table=table, key=key, rows=rows)
        touched[kind] = [r[key.name] for r in rows]
    return touched


async def _sunpos(s, objids: list[int]) -> None:
    """Sun positions of objects whose date, time or position the update wrote."""
    if not objids:
        return
    found = await hs.positions(s, objids=objids)
    rows = [{"objid": r.objid, "sunpos": sun_position(r.objdate, r.objtime, r.latitude, r.longitude)} for r in found]
    await hs.update_each(s, table=hs.obj_head, key=hs.obj_head.c.objid, rows=rows)
