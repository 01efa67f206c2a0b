"""The ``DataUpload`` job: ingest an archive member by member, in batches written invisible
(``staging_job_id``), then publish them all at once. Failure or cancellation runs ``cleanup``,
which deletes the staged rows and the blobs nothing else uses. After a restart the run goes on
from the members already staged (``ctx.inside["done"]``)."""

from __future__ import annotations

import asyncio
import shutil
import zipfile
from pathlib import Path

from services.core.errors import DomainError
from services.core.jobs import JobContext, JobFailed, JobKind
from services.projects import datasets_store as ds
from services.projects.datasets_events import UNITS_CREATED
from services.projects.domain.datasets.ingest import (
    SMALL_FILE,
    WORKERS,
    SpooledFile,
    discard_blobs,
    in_threads,
    prepare,
    store_prepared,
    unit_of,
)
from services.projects.domain.datasets.ports import DatasetDeps

BATCH = 500


def _members(archive: Path, *, label: str, limits) -> list:
    from services.core.archives import inspect_zip

    return inspect_zip(archive, max_members=limits.max_zip_members, max_total_bytes=limits.max_upload_bytes,
                       archive_name=label)


def _ingest_member(z: zipfile.ZipFile, member, *, target: Path, label: str, metadata: dict, deps: DatasetDeps,
                   created: list[str]):
    """Read one member (into memory when small, to ``target`` otherwise), probe it and store its
    blobs. Blocking: runs in a worker thread with that thread's own archive handle."""
    from services.core.archives import extract_member, open_member

    spooled = SpooledFile(file_name=Path(member.name).name, title=member.name, client_metadata=metadata)
    try:
        if member.size <= SMALL_FILE:
            spooled.data = bytearray(b"".join(open_member(z, member, archive_name=label)))
            spooled.size = len(spooled.data)
        else:
            spooled.data, spooled.path = None, target
            spooled.size = extract_member(z, member, target, archive_name=label)
        info, thumb = prepare(spooled.source(), file_name=member.name, limits=deps.limits)
        return store_prepared(blobs=deps.blobs, spooled=spooled, info=info, thumb=thumb, created=created)
    except DomainError as exc:
        text = exc.message
        raise JobFailed([text if member.name in text else f"{member.name}: {text}"]) from None
    finally:
        if spooled.path is not None:
            target.unlink(missing_ok=True)


class _Handles:
    """One open archive per worker: reopening it for each member would re-read its directory."""

    def __init__(self, archive: Path, count: int) -> None:
        self._all = [zipfile.ZipFile(archive) for _ in range(count)]
        self._free: asyncio.Queue = asyncio.Queue()
        for z in self._all:
            self._free.put_nowait(z)

    async def run(self, fn, *args):
        """``fn(*args, archive)`` in a worker thread with a free archive handle."""
        z = await self._free.get()
        try:
            return await asyncio.to_thread(fn, *args, z)
        finally:
            self._free.put_nowait(z)

    def close(self) -> None:
        for z in self._all:
            z.close()


def upload_job(deps: DatasetDeps) -> JobKind:
    async def run(ctx: JobContext) -> dict:
        archive = Path(ctx.params["archive"])
        if not archive.exists():
            raise JobFailed([f"{ctx.params.get('file_name', 'archive')}: the uploaded archive is gone"])
        async with deps.db.session() as s:
            dataset = await ds.get_dataset_by_id(s, dataset_id=ctx.params["dataset_id"])
        if dataset is None:
            raise JobFailed(["The dataset was deleted."])
        label = ctx.params.get("file_name") or archive.name
        try:
            members = await asyncio.to_thread(_members, archive, label=label, limits=deps.limits)
        except DomainError as exc:
            raise JobFailed([exc.message]) from None
        names = [m.name for m in members]
        done: list[str] = ctx.inside.setdefault("done", [])
        skip = set(done)
        todo = [m for m in members if m.name not in skip]
        metadata = ctx.params.get("client_metadata") or {}
        scratch = ctx.work_dir / "members"
        scratch.mkdir(parents=True, exist_ok=True)
        handles = _Handles(archive, WORKERS)
        try:
            for start in range(0, len(todo), BATCH):
                await ctx.progress(int(90 * len(done) / max(1, len(names))),
                                   f"Ingesting files {len(done) + 1}/{len(names)}")
                batch = todo[start:start + BATCH]
                await _ingest_batch(ctx, dataset, batch, start, handles, scratch, metadata, label)
                done.extend(m.name for m in batch)
                await ctx.save_inside()
        finally:
            handles.close()
        await ctx.progress(95, "Publishing")
        async with deps.db.transaction() as s:
            hashes = [h for _, h in await ds.staged_units(s, job_id=ctx.job_id)]
            count = await ds.publish_staged(s, job_id=ctx.job_id)
            await ds.add_unit_count(s, dataset_id=dataset.id, delta=count)
            projects = await ds.attached_project_ids(s, dataset_id=dataset.id)
            deps.events.units(s, UNITS_CREATED, dataset=dataset, data_hashes=hashes, project_ids=projects,
                              actor_id=ctx.owner_id, job_id=ctx.job_id)
        archive.unlink(missing_ok=True)
        shutil.rmtree(scratch, ignore_errors=True)
        return {"dataset_hash": dataset.dataset_hash, "units": count}

    async def _ingest_batch(ctx, dataset, batch, start, handles, scratch, metadata, label) -> None:
        created: list[str] = []

        def one(item, z):
            i, member = item
            return _ingest_member(z, member, target=scratch / f"{start + i:08d}", label=label, metadata=metadata,
                                  deps=deps, created=created)

        try:
            stored = await in_threads(list(enumerate(batch)), one, run=handles.run)
            units = [unit_of(dataset=dataset, stored=st, creator_id=ctx.owner_id, staging_job_id=ctx.job_id)
                     for st in stored]
            async with deps.db.transaction() as s:
                await ds.insert_units(s, units=units)
        except BaseException:
            await asyncio.shield(discard_blobs(deps=deps, keys=created))
            raise

    async def cleanup(ctx: JobContext) -> None:
        async with deps.db.transaction() as s:
            keys = await ds.delete_staged(s, job_id=ctx.job_id)
        await discard_blobs(deps=deps, keys=keys)
        Path(ctx.params["archive"]).unlink(missing_ok=True)
        shutil.rmtree(ctx.work_dir / "members", ignore_errors=True)

    return JobKind(run=run, cleanup=cleanup, resumable=True)
