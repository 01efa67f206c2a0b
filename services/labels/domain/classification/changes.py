"""Changing classifications (EcoTaxa's ``/object_set/classify``) and reading them back: the
previous state of every changed object goes to the history, the statistics follow in the same
transaction, and one ``copepod.labels.classification.changed`` event per project carries the new
states."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace as copy

from services.core.auth import Principal
from services.core.bus import utcnow
from services.core.roles import MANAGE
from services.core.errors import InvalidArgument, NotFound, PermissionDenied
from services.labels import classif_store as cs
from services.labels.classif_store import ClassifHistory, State
from services.labels.domain.classification.staging import SERVICES, apply_deltas
from services.labels.domain.classification.stats import Deltas, actions_of
from services.labels.domain.labelling.ports import Deps
from services.labels.domain.labelling.rights import EDITORS

MAX_TARGETS = 100_000
WANTED = ("V", "P", "D")
KEEP = -1


async def classify(*, deps: Deps, caller: Principal, target_ids: Sequence[int], classifications: Sequence[int],
                   qualification: str) -> int:
    """Give each target its classification (``-1`` keeps the present one) with the wanted state;
    the number of objects whose classification changed."""
    user_id = caller.require_user()
    if qualification not in WANTED:
        raise InvalidArgument("wanted_qualification: 'V' (validated), 'P' (predicted) or 'D' (dubious)")
    if len(target_ids) != len(classifications):
        raise InvalidArgument("classifications: one per target id")
    if len(target_ids) > MAX_TARGETS:
        raise InvalidArgument(f"target_ids: at most {MAX_TARGETS}")
    if len(set(target_ids)) != len(target_ids):
        raise InvalidArgument("target_ids: an object is named twice")
    wanted = dict(zip(target_ids, classifications))
    taxa = sorted({c for c in classifications if c != KEEP})
    if any(c <= 0 for c in taxa):
        raise InvalidArgument("classifications: taxon ids, or -1 to keep the present one")
    if taxa:
        exist = await deps.taxa.exist(taxa)
        unknown = [t for t, ok in zip(taxa, exist) if not ok]
        if unknown:
            raise InvalidArgument(f"classifications: unknown taxon id(s) {', '.join(map(str, unknown[:20]))}")
    async with deps.db.session() as s:
        found = await cs.current(s, objids=list(wanted))
    missing = [o for o in wanted if o not in found]
    if missing:
        raise NotFound(f"Object {missing[0]} is not known.")
    for project_id in sorted({p for p, _ in found.values()}):
        await _require_annotate(deps, caller, project_id)
    now = utcnow()
    async with deps.db.transaction() as s:
        current = await cs.current(s, objids=list(wanted), for_update=True)
        changes: list[tuple[int, State, State]] = []
        for objid, taxon in wanted.items():
            if objid not in current:
                raise NotFound(f"Object {objid} is not known.")
            project_id, old = current[objid]
            taxon = old.classif_id if taxon == KEEP else taxon
            if taxon is None:
                raise InvalidArgument(f"Object {objid} has no classification to keep: give a taxon id.")
            who = None if qualification == "P" else user_id
            if (old.classif_id, old.classif_qual, old.classif_who) == (taxon, qualification, who):
                continue
            new = copy(old, classif_id=taxon, classif_qual=qualification, classif_who=who, classif_date=now,
                       classif_score=None)
            changes.append((project_id, old, new))
        await cs.replace(s, changes=changes)
        for project_id in sorted({p for p, _, _ in changes}):
            mine = [(old, new) for p, old, new in changes if p == project_id]
            deltas = Deltas().count([o for o, _ in mine], -1).count([n for _, n in mine]).act(
                actions_of([n for _, n in mine]))
            await apply_deltas(s, deps=deps, project_id=project_id, deltas=deltas)
            deps.events.classifications(s, project_id=project_id, states=[n for _, n in mine], actor_id=user_id)
    return len(changes)


async def history(*, deps: Deps, caller: Principal, objid: int) -> list[ClassifHistory]:
    """The states an object left, oldest first; readable by whoever may read its project."""
    async with deps.db.session() as s:
        found = await cs.current(s, objids=[objid])
        if objid not in found:
            raise NotFound()
        await deps.projects.check(project_id=found[objid][0])
        return await cs.history(s, objid=objid)


async def states(*, deps: Deps, caller: Principal, objids: Sequence[int]) -> dict[int, State]:
    """Current classifications of objects (those readable by the caller; unknown ones left out)."""
    if len(objids) > MAX_TARGETS:
        raise InvalidArgument(f"At most {MAX_TARGETS} objects.")
    async with deps.db.session() as s:
        found = await cs.current(s, objids=objids)
    for project_id in sorted({p for p, _ in found.values()}):
        await deps.projects.check(project_id=project_id)
    return {objid: st for objid, (_, st) in found.items()}


async def _require_annotate(deps: Deps, caller: Principal, project_id: int) -> None:
    """EcoTaxa's Annotate right: the project's annotators, reviewers and managers."""
    standing = await deps.projects.check(project_id=project_id)
    if not (caller.is_admin or standing.role in EDITORS):
        raise PermissionDenied()


async def _editable(deps: Deps, caller: Principal, project_id: int, objids: Sequence[int]) -> None:
    """The caller may annotate the project, and every object is one of its own."""
    caller.require_user()
    if len(objids) > MAX_TARGETS:
        raise InvalidArgument(f"At most {MAX_TARGETS} objects at once.")
    await _require_annotate(deps, caller, project_id)
    async with deps.db.session() as s:
        found = await cs.current(s, objids=objids)
    strangers = [o for o in objids if found.get(o, (project_id,))[0] != project_id]
    if strangers:
        raise InvalidArgument(f"Object {strangers[0]} is not in project {project_id}.")


async def _write(s, *, deps: Deps, project_id: int, changes: list[tuple[int, State, State]],
                 actor_id: int | None) -> None:
    await cs.replace(s, changes=changes)
    if changes:
        olds, news = [o for _, o, _ in changes], [n for _, _, n in changes]
        await apply_deltas(s, deps=deps, project_id=project_id,
                           deltas=Deltas().count(olds, -1).count(news).act(actions_of(news)))
        deps.events.classifications(s, project_id=project_id, states=news, actor_id=actor_id)


async def reset_to_predicted(*, deps: Deps, caller: Principal, project_id: int, objids: Sequence[int]) -> int:
    """Validated and dubious objects back to predicted, keeping their taxon; the number changed."""
    await _editable(deps, caller, project_id, objids)
    now = utcnow()
    async with deps.db.transaction() as s:
        current = await cs.current(s, objids=objids, for_update=True)
        changes = [(project_id, old, copy(old, classif_qual="P", classif_who=None, classif_date=now,
                                          classif_score=None))
                   for _, old in current.values() if old.classif_qual in ("V", "D")]
        await _write(s, deps=deps, project_id=project_id, changes=changes, actor_id=caller.user_id)
    return len(changes)


async def revert_to_history(*, deps: Deps, caller: Principal, project_id: int, objids: Sequence[int],
                            target: int | None, dry_run: bool) -> tuple[list[tuple[State, ClassifHistory]], int]:
    """Objects back to their latest history state (``target``'s latest validated or dubious one
    when given): the (present state, history row) pairs, and how many changed (0 on a dry run)."""
    await _editable(deps, caller, project_id, objids)
    async with deps.db.transaction() as s:
        current = await cs.current(s, objids=objids, for_update=True)
        last = await cs.last_history(s, objids=list(current), user_id=target)
        pairs = [(current[o][1], h) for o, h in sorted(last.items())]
        if dry_run:
            return pairs, 0
        changes = [(project_id, old, State(objid=old.objid, classif_id=h.classif_id, classif_qual=h.classif_qual,
                                           classif_who=h.classif_who, classif_date=h.classif_date,
                                           classif_score=h.classif_score)) for old, h in pairs]
        await _write(s, deps=deps, project_id=project_id, changes=changes, actor_id=caller.user_id)
    return pairs, len(changes)


async def user_stats(*, deps: Deps, caller: Principal, project_ids: Sequence[int]) -> dict[int, list]:
    """Per project (in the order asked): its annotators' activity rows. Manage right on each."""
    caller.require_user()
    project_ids = list(dict.fromkeys(project_ids))
    if len(project_ids) > 1000:
        raise InvalidArgument("At most 1000 projects at once.")
    for project_id in project_ids:
        standing = await deps.projects.check(project_id=project_id)
        if not (caller.is_admin or standing.right == MANAGE):
            raise PermissionDenied()
    async with deps.db.session() as s:
        rows = await cs.annotator_stats(s, project_ids=project_ids)
    out: dict[int, list] = {p: [] for p in project_ids}
    for r in rows:
        out[r.project_id].append(r)
    return out


async def apply(*, deps: Deps, caller: Principal, project_id: int, states: Sequence[State],
                actor_id: int | None) -> int:
    """Imports updating classifications: each object of the project takes its given state (the
    one it leaves goes to the history); equal states change nothing. The number changed."""
    caller.require_service(*SERVICES)
    if len(states) > MAX_TARGETS:
        raise InvalidArgument(f"At most {MAX_TARGETS} objects at once.")
    async with deps.db.transaction() as s:
        current = await cs.current(s, objids=[st.objid for st in states], for_update=True)
        changes = []
        for st in states:
            found = current.get(st.objid)
            if found is None or found[0] != project_id:
                raise InvalidArgument(f"Object {st.objid} is not in project {project_id}.")
            old = found[1]
            if (old.classif_id, old.classif_qual, old.classif_who) != (st.classif_id, st.classif_qual, st.classif_who):
                changes.append((project_id, old, st))
        await _write(s, deps=deps, project_id=project_id, changes=changes, actor_id=actor_id)
    return len(changes)
