"""EcoTaxa's project maintenance: recompute sample positions and objects' sun positions, list a
project's consistency problems, set its prediction settings."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from services.core.auth import Principal
from services.core.blobs import BlobStore
from services.core.errors import InvalidArgument, PermissionDenied
from services.core.roles import ANNOTATE, allows
from services.projects import hierarchy_store as hs
from services.projects.domain.ecotaxa.sunpos import sun_position
from services.projects.domain.hierarchy.events import OBJECT_UPDATED, SAMPLE_UPDATED, HierarchyEvents
from services.projects.domain.lookup import load_project, role_of
from services.projects.domain.ports import Deps
from services.projects.domain.rights import require_manage, require_read
from services.projects.domain.update import write_fields

SUNPOS_PAGE = 5_000
# Lines of one kind of problem listed by check before a summary line.
LISTED = 1_000
# Images whose files check looks for in one call.
IMAGES_CHECKED = 10_000
# Blob look-ups in flight at once.
BLOB_LOOKUPS = 32
SETTINGS_MAX = 10_000


async def _managed(*, deps: Deps, caller: Principal, project_id: int) -> int:
    actor_id = caller.require_user()
    await load_project(deps=deps, project_id=project_id)
    require_manage(caller=caller, role=await role_of(deps=deps, project_id=project_id, caller=caller))
    return actor_id


async def recompute_geo(*, deps: Deps, events: HierarchyEvents, caller: Principal, project_id: int) -> int:
    """Each sample takes the smallest latitude and longitude of its objects having both; returns
    the number of samples whose position changed (announced by one ``sample.updated``)."""
    actor_id = await _managed(deps=deps, caller=caller, project_id=project_id)
    async with deps.db.transaction() as s:
        changed = [sample_id for sample_id, _ in await hs.geo_mismatches(s, project_id=project_id)]
        if changed:
            await hs.propagate_geo(s, project_id=project_id)
            events.emit(s, subject=SAMPLE_UPDATED, project_id=project_id, ids=changed,
                        columns=["latitude", "longitude"], actor_id=actor_id)
    return len(changed)


def sunpos_changes(rows: Sequence) -> list[tuple[int, str]]:
    """(objid, new sunpos) for the rows whose stored value differs from the computed one."""
    out = []
    for objid, objdate, objtime, latitude, longitude, current in rows:
        value = sun_position(objdate, objtime, latitude, longitude)
        if value != current:
            out.append((objid, value))
    return out


async def recompute_sunpos(*, deps: Deps, events: HierarchyEvents, caller: Principal, project_id: int,
                           page_size: int = SUNPOS_PAGE) -> int:
    """Recompute every visible object's sunpos, a keyset page per transaction; returns the number
    of objects whose value changed. Each page that changed something is announced by one
    ``object.updated`` (columns ``sunpos``). Pages already done stay done if a later one fails."""
    actor_id = await _managed(deps=deps, caller=caller, project_id=project_id)
    total, after = 0, 0
    while True:
        async with deps.db.transaction() as s:
            rows = await hs.sunpos_page(s, project_id=project_id, after=after, limit=page_size)
            # The computation is pure CPU: off the event loop.
            changes = await asyncio.to_thread(sunpos_changes, rows) if rows else []
            if changes:
                await hs.set_sunpos(s, values=changes)
                events.emit(s, subject=OBJECT_UPDATED, project_id=project_id, ids=[i for i, _ in changes],
                            columns=["sunpos"], actor_id=actor_id)
        total += len(changes)
        if len(rows) < page_size:
            return total
        after = rows[-1][0]


def _more(listed: int, total: int, what: str) -> list[str]:
    return [f"... and {total - listed} more {what}"] if total > listed else []


async def _missing_blobs(blobs: BlobStore, keys: Sequence[str]) -> set[str]:
    missing: set[str] = set()
    for start in range(0, len(keys), BLOB_LOOKUPS):
        batch = keys[start:start + BLOB_LOOKUPS]
        found = await asyncio.gather(*(blobs.exists(k) for k in batch))
        missing.update(k for k, ok in zip(batch, found) if not ok)
    return missing


async def check_project(*, deps: Deps, blobs: BlobStore, caller: Principal, project_id: int) -> list[str]:
    """EcoTaxa's consistency check, for what can go wrong in this schema (an acquisition belongs
    to one sample, so EcoTaxa's "nested in several samples" cannot happen). Empty = no problem."""
    caller.require_user()
    project = await load_project(deps=deps, project_id=project_id)
    require_read(caller=caller, role=await role_of(deps=deps, project_id=project_id, caller=caller),
                 visible=project.visible)
    problems: list[str] = []
    async with deps.db.session() as s:
        orphans, total = await hs.acquisitions_without_process(s, project_id=project_id, limit=LISTED)
        problems += [f"Acquisition '{o}' has no associated Process " for o in orphans]
        problems += _more(len(orphans), total, "acquisitions without Process")

        strays, total = await hs.objects_off_their_sample(s, project_id=project_id, limit=LISTED)
        if strays:
            more = f" and {total - len(strays)} more" if total > len(strays) else ""
            problems.append(f"Object(s) whose sample differs from their acquisition's: {strays}{more}")

        moved = await hs.geo_mismatches(s, project_id=project_id, limit=LISTED + 1)
        problems += [f"Sample '{o}' position differs from its objects' (recompute_geo fixes it)"
                     for _, o in moved[:LISTED]]
        if len(moved) > LISTED:
            total = len(await hs.geo_mismatches(s, project_id=project_id))
            problems += _more(LISTED, total, "samples whose position differs")

        bare, total = await hs.objects_without_image(s, project_id=project_id, limit=LISTED)
        problems += [f"Object '{o}' has no image" for o in bare]
        problems += _more(len(bare), total, "objects without image")

        images = await hs.project_images(s, project_id=project_id, limit=IMAGES_CHECKED + 1)
    checked = images[:IMAGES_CHECKED]
    keys = sorted({k for _, _, blob, thumb in checked for k in (blob, thumb) if k})
    missing = await _missing_blobs(blobs, keys)
    lost = []
    for orig_id, rank, blob, thumb in checked:
        if blob in missing:
            lost.append(f"Object '{orig_id}' image {rank}: file missing from the blob store")
        if thumb and thumb in missing:
            lost.append(f"Object '{orig_id}' image {rank}: thumbnail missing from the blob store")
    problems += lost[:LISTED]
    problems += _more(min(len(lost), LISTED), len(lost), "missing image files")
    if len(images) > IMAGES_CHECKED:
        problems.append(f"Only the first {IMAGES_CHECKED} images were checked for missing files.")
    return problems


def require_annotate(*, caller: Principal, role) -> None:
    if not (caller.is_admin or allows(role, ANNOTATE)):
        raise PermissionDenied()


async def set_prediction_settings(*, deps: Deps, caller: Principal, project_id: int, settings: str) -> None:
    """Write ``settings`` verbatim to the project's classifsettings (annotators and managers may)."""
    actor_id = caller.require_user()
    await load_project(deps=deps, project_id=project_id)
    require_annotate(caller=caller, role=await role_of(deps=deps, project_id=project_id, caller=caller))
    if len(settings) > SETTINGS_MAX or "\x00" in settings:
        raise InvalidArgument(f"The prediction settings are at most {SETTINGS_MAX} characters, without NUL.")
    await write_fields(deps=deps, project_id=project_id, fields={"classifsettings": settings}, actor_id=actor_id)
