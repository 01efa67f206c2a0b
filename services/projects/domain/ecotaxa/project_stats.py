"""``GET /projects/{project_id}/stats`` (EcoTaxa's ProjectStats): small statistics of the numeric
object free columns, per acquisition, in EcoTaxa's string layout (docs/objects.md, "Project
stats"). The numbers come from SQL aggregates; only the formatting happens here."""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping

from services.core.auth import Principal
from services.projects import hierarchy_store as hs
from services.projects.domain.lookup import load_project, role_of
from services.projects.domain.ports import Deps
from services.projects.domain.rights import require_read

# Values print as EcoTaxa prints them: the float with 10 decimals, then without trailing zeros.
_SCALE = 10
_EXACT = decimal.Context(prec=1000)


def column_order(column: str) -> tuple[str, int]:
    """``n`` columns before ``t`` columns, each by number (``n2`` < ``n10``)."""
    return column[:1], int(column[1:]) if column[1:].isdigit() else 0


def ordered_mapping(mapping: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted(mapping.items(), key=lambda kv: (column_order(kv[1]), kv[0]))


def mapping_text(pairs: Iterable[tuple[str, str]]) -> str:
    """As Python 3.8 prints an OrderedDict (EcoTaxa's answer): ``OrderedDict([('area', 'n01')])``."""
    items = ", ".join(f"({name!r}, {column!r})" for name, column in pairs)
    return f"OrderedDict([{items}])" if items else "OrderedDict()"


def number_text(value: float | None) -> str:
    """``NaN`` for no value; an integral value without decimals; else at most 10 decimals,
    trailing zeros dropped (``Decimal.normalize``: ``1E-7`` for 0.0000001)."""
    if value is None:
        return "NaN"
    d = decimal.Decimal(f"{value:.{_SCALE}f}")
    if d == d.to_integral_value(context=_EXACT):
        return str(d.quantize(decimal.Decimal(1), context=_EXACT))
    return str(d.normalize(context=_EXACT))


def column_text(s: hs.NumberStats) -> str:
    """``[min,max,#distinct values,u<count of the most frequent value>]``. As in EcoTaxa, each
    empty value counts as a distinct value seen once, and is left out of min and max."""
    distinct = s.distinct + s.empty
    mode = max(s.mode, 1 if s.empty else 0)
    return f"[{number_text(s.minimum)},{number_text(s.maximum)},#{distinct},u{mode}]"


def acquisition_lines(orig_id: str, count: int, stats: list[hs.NumberStats]) -> list[str]:
    dup = sum(max(s.mode, 1 if s.empty else 0) for s in stats)
    return [f"{orig_id} ({count}): " + ",".join(column_text(s) for s in stats),
            f"Total: {count * len(stats)} values, dup {dup} values"]


async def project_stats(*, deps: Deps, caller: Principal, project_id: int) -> list[str]:
    """Title, the object free-column mapping, then two lines per acquisition having objects (by
    id), after EcoTaxa's opening empty acquisition."""
    caller.require_user()
    project = await load_project(deps=deps, project_id=project_id)
    require_read(caller=caller, role=await role_of(deps=deps, project_id=project_id, caller=caller),
                 visible=project.visible)
    pairs = ordered_mapping(project.obj_free_cols or {})
    numeric = [column for _, column in pairs if column.startswith("n")]
    async with deps.db.session() as s:
        acquisitions = await hs.acquisition_object_counts(s, project_id=project_id)
        stats = await hs.free_number_stats(s, project_id=project_id, columns=numeric)
    empty = hs.NumberStats(minimum=None, maximum=None, distinct=0, empty=0, mode=0)
    lines = [project.title, mapping_text(pairs), *acquisition_lines("", 0, [])]
    for acquisid, orig_id, count in acquisitions:
        lines += acquisition_lines(orig_id, count, [stats.get((acquisid, c), empty) for c in numeric])
    return lines
