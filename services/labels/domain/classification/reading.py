"""Reading the kept statistics (EcoTaxa's /project_set/taxo_stats)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from services.core.auth import Principal
from services.core.errors import InvalidArgument
from services.labels import classif_store as cs
from services.labels.domain.labelling.ports import Deps

MAX_PROJECTS = 1000


@dataclass
class TaxoStats:
    project_id: int
    used_taxa: list[int] = field(default_factory=list)
    nb_unclassified: int = 0
    nb_validated: int = 0
    nb_dubious: int = 0
    nb_predicted: int = 0


async def taxo_stats(*, deps: Deps, caller: Principal, project_ids: Sequence[int], per_taxon: bool,
                     taxa_ids: Sequence[int] = ()) -> list[TaxoStats]:
    """One record per project (in the order asked), or per project and taxon when ``per_taxon``
    (every taxon the project uses when ``taxa_ids`` is empty). Each project must be readable."""
    project_ids = list(dict.fromkeys(project_ids))
    if len(project_ids) > MAX_PROJECTS:
        raise InvalidArgument(f"At most {MAX_PROJECTS} projects at once.")
    for project_id in project_ids:
        await deps.projects.check(project_id=project_id)
    async with deps.db.session() as s:
        rows = await cs.taxo_stats(s, project_ids=project_ids)
    wanted = set(taxa_ids)
    out: list[TaxoStats] = []
    by_project: dict[int, list] = {p: [] for p in project_ids}
    for r in rows:
        by_project[r.project_id].append(r)
    for project_id in project_ids:
        if not per_taxon:
            st = TaxoStats(project_id=project_id)
            for r in by_project[project_id]:
                _add(st, r)
            st.used_taxa.sort()
            out.append(st)
            continue
        for r in by_project[project_id]:
            if wanted and r.classif_id not in wanted:
                continue
            st = TaxoStats(project_id=project_id)
            _add(st, r)
            out.append(st)
    return out


def _add(st: TaxoStats, r) -> None:
    st.used_taxa.append(r.classif_id)
    if r.classif_id == -1:
        st.nb_unclassified += r.nbr
    st.nb_validated += r.nbr_v
    st.nb_dubious += r.nbr_d
    st.nb_predicted += r.nbr_p
