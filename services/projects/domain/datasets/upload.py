"""An upload request: rights first (before anything is spooled), then files or one archive.
A single archive goes on in a ``DataUpload`` job once it passed ``inspect_zip``."""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import dataclass

from services.core.auth import Principal
from services.core.errors import InvalidArgument
from services.projects.datasets_store import Dataset, DataUnit
from services.projects.domain.datasets.access import load_dataset
from services.projects.domain.datasets.ingest import Spool, ingest_files, is_zip
from services.projects.domain.datasets.ports import DatasetDeps

UPLOAD_JOB = "DataUpload"


@dataclass(frozen=True)
class UploadResult:
    units: list[DataUnit]
    job_id: int = 0


async def begin_upload(*, deps: DatasetDeps, caller: Principal, dataset_hash: str) -> Dataset:
    caller.require_user()
    dataset = await load_dataset(deps=deps, caller=caller, dataset_hash=dataset_hash, for_managing=True)
    if dataset.own_project_id is not None:
        raise InvalidArgument("dataset_hash: a project's own dataset takes objects through the project")
    return dataset


async def finish_upload(*, deps: DatasetDeps, caller: Principal, dataset: Dataset, spool: Spool, group: bool = False,
                        group_title: str = "", client_metadata: dict | None = None) -> UploadResult:
    spool.end_file()
    files = spool.files
    if not files:
        raise InvalidArgument("no file in the upload")
    zips = [f for f in files if is_zip(f)]
    if zips:
        if len(files) > 1 or group:
            raise InvalidArgument(f"{zips[0].file_name}: an archive must be uploaded alone")
        return UploadResult(units=[], job_id=await _submit_archive(deps=deps, caller=caller, dataset=dataset,
                                                                   spool=spool, client_metadata=client_metadata))
    units = await ingest_files(deps=deps, dataset=dataset, files=files, creator_id=caller.require_user(),
                               group=group, group_title=group_title, group_metadata=client_metadata)
    return UploadResult(units=units)


async def _submit_archive(*, deps: DatasetDeps, caller: Principal, dataset: Dataset, spool: Spool,
                          client_metadata: dict | None) -> int:
    from services.core.archives import inspect_zip

    archive = spool.files[0]
    path = await asyncio.to_thread(spool.on_disk, archive)
    # A hostile archive is refused here, before any job exists.
    members = await asyncio.to_thread(inspect_zip, path, max_members=deps.limits.max_zip_members,
                                      max_total_bytes=deps.limits.max_upload_bytes, archive_name=archive.file_name)
    if not members:
        raise InvalidArgument(f"{archive.file_name}: the archive holds no file")
    kept = deps.limits.spool_dir / "archives" / f"{uuid.uuid4().hex}.zip"
    kept.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, kept)
    try:
        async with deps.db.transaction() as s:
            return await deps.jobs.submit(s, type=UPLOAD_JOB, owner_id=caller.require_user(), params={
                "dataset_id": dataset.id, "dataset_hash": dataset.dataset_hash, "archive": str(kept),
                "file_name": archive.file_name, "client_metadata": client_metadata or {}})
    except BaseException:
        kept.unlink(missing_ok=True)
        raise
