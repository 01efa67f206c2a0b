"""Rebuilding the read models from the source of truth (``object_classif`` and
``classif_history``): ``copepod labels rebuild-stats``. The counts are recomputed in SQL and the
tables replaced in one transaction; each project's counters and every object's classification
are announced again, so the projects service rebuilds its counters and its copy of the
classifications from the events."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.labels import classif_store as cs
from services.labels.classif_store import AnnotatorStat, ClassifHistory, ObjectClassif, TaxoStat


async def rebuild(s: AsyncSession, *, events) -> dict[str, int]:
    """Replace ``taxo_stat`` and ``annotator_stat``; returns the rows written per table."""
    o, h = ObjectClassif.__table__, ClassifHistory.__table__
    visible = o.c.staging_job_id.is_(None)
    taxon = sa.func.coalesce(o.c.classif_id, -1)
    count = lambda qual: sa.func.sum(sa.case((o.c.classif_qual == qual, 1), else_=0))  # noqa: E731
    taxa = (await s.execute(sa.select(o.c.project_id, taxon, sa.func.count(), count("V"), count("D"), count("P"))
                            .where(visible).group_by(o.c.project_id, taxon))).all()
    current = sa.select(o.c.project_id, o.c.classif_who.label("user_id"), o.c.classif_date.label("at")).where(
        visible, o.c.classif_who.is_not(None), o.c.classif_qual.in_(("V", "D")))
    past = sa.select(h.c.project_id, h.c.classif_who.label("user_id"), h.c.classif_date.label("at")).where(
        h.c.classif_who.is_not(None))
    acts = sa.union_all(current, past).subquery()
    people = (await s.execute(sa.select(acts.c.project_id, acts.c.user_id, sa.func.count(), sa.func.max(acts.c.at))
                              .group_by(acts.c.project_id, acts.c.user_id))).all()
    projects = {p for p, *_ in taxa} | set((await s.execute(sa.select(TaxoStat.project_id).distinct())).scalars())
    await s.execute(sa.delete(TaxoStat))
    await s.execute(sa.delete(AnnotatorStat))
    if taxa:
        await s.execute(TaxoStat.__table__.insert(), [
            {"project_id": p, "classif_id": t, "nbr": n, "nbr_v": v or 0, "nbr_d": d or 0, "nbr_p": pr or 0}
            for p, t, n, v, d, pr in taxa])
    if people:
        await s.execute(AnnotatorStat.__table__.insert(), [
            {"project_id": p, "user_id": u, "nb_actions": n, "last_annot": last} for p, u, n, last in people])
    announced = 0
    for project_id in sorted(projects):
        objcount, validated, classified = await cs.counters(s, project_id=project_id)
        version = await cs.next_counter_version(s, project_id=project_id)
        events.project_stats(s, project_id=project_id, version=version, objcount=objcount,
                             nb_validated=validated, nb_classified=classified)
        after = 0
        while page := await cs.page(s, project_id=project_id, after=after):
            events.classifications(s, project_id=project_id, states=page, actor_id=None)
            announced += len(page)
            after = page[-1].objid
    return {"taxo_stat": len(taxa), "annotator_stat": len(people), "projects": len(projects),
            "classifications": announced}
