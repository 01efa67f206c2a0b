"""The ``SyncDataset`` job: a dataset was attached to a project, so each of its units gets a row in
that project. The dataset is read a page at a time from the projects service; the position is
saved after every page, so a restarted service goes on where it stopped (rows are added with
"keep what exists", so a page done twice changes nothing)."""

from __future__ import annotations

from services.core.jobs import JobContext, JobKind
from services.labels.domain.labelling import slots
from services.labels.domain.labelling.ports import Deps


def sync_dataset_job(deps: Deps) -> JobKind:
    async def run(ctx: JobContext) -> dict:
        project_id, dataset_hash = ctx.params["project_id"], ctx.params["dataset_hash"]
        token = ctx.inside.get("token", "")
        added = ctx.inside.get("added", 0)
        while True:
            hashes, token = await deps.units.dataset_units(dataset_hash=dataset_hash, page_token=token)
            async with deps.db.transaction() as s:
                added += await slots.add_units(s, deps=deps, project_ids=[project_id], data_hashes=hashes)
            ctx.inside.update(token=token, added=added)
            await ctx.save_inside()
            await ctx.progress(50, f"{added} data units added")
            if not token:
                return {"project_id": project_id, "dataset_hash": dataset_hash, "rows_added": added}

    return JobKind(run=run, resumable=True)
