"""The metadata list of a project's label rows (Encord's ``list_label_rows_v2``), a keyset page at a
time: every unit of the project appears, with ``label_hash`` null until its row is created.

A page costs the same at any depth: ``id > last id`` over an index. A filter on one status walks the
status index; several statuses are read as one page per status, merged by id."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import orjson

from services.core import paging
from services.core.auth import Principal
from services.core.errors import InvalidArgument
from services.labels import store
from services.labels.domain.labelling.ports import Deps
from services.labels.domain.labelling.rights import member_standing
from services.labels.domain.rows.content import RowMeta, UnitInfo, metadata_dict
from services.labels.domain.rows.timefmt import parse_time
from services.labels.store import LabelRow

LABEL_STATUSES = ("NOT_LABELLED", "LABEL_IN_PROGRESS", "LABELLED", "REVIEW_IN_PROGRESS", "REVIEWED",
                  "REVIEWED_TWICE")
TASK_STATUSES = ("QUEUED", "ASSIGNED", "IN_REVIEW", "RETURNED", "COMPLETED")
SHADOW_STATES = ("ALL_DATA", "SHADOW_DATA", "NOT_SHADOW_DATA")
MAX_HASHES = 1000


@dataclass(frozen=True)
class ListFilters:
    data_hashes: Sequence[str] = ()
    label_hashes: Sequence[str] = ()
    edited_before: str = ""
    edited_after: str = ""
    label_statuses: Sequence[str] = ()
    annotation_task_statuses: Sequence[str] = ()
    shadow_data_state: str = ""
    data_title_eq: str = ""
    data_title_like: str = ""
    workflow_stage_title_eq: str = ""
    workflow_stage_title_like: str = ""
    branch_name: str = ""
    include_all_label_branches: bool = False
    include_client_metadata: bool = False


def _check_values(name: str, values: Sequence[str], allowed: Sequence[str]) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise InvalidArgument(f"{name}: unknown value {unknown[0]!r} (one of {', '.join(allowed)})")
    return sorted(set(values))


def _where(f: ListFilters) -> list:
    t = LabelRow.__table__.c
    where = []
    if not f.include_all_label_branches:
        where.append(t.branch_name == (f.branch_name or store.MAIN))
    for name, values, column in (("data_hashes", f.data_hashes, t.data_hash),
                                 ("label_hashes", f.label_hashes, t.label_hash)):
        if values:
            if len(values) > MAX_HASHES:
                raise InvalidArgument(f"{name}: at most {MAX_HASHES}")
            where.append(column.in_(list(values)))
    if f.edited_before:
        where.append(t.last_edited_at < parse_time(f.edited_before, loc=("edited_before",)))
    if f.edited_after:
        where.append(t.last_edited_at > parse_time(f.edited_after, loc=("edited_after",)))
    if f.shadow_data_state:
        _check_values("shadow_data_state", [f.shadow_data_state], SHADOW_STATES)
        if f.shadow_data_state != "ALL_DATA":
            where.append(t.is_shadow_data.is_(f.shadow_data_state == "SHADOW_DATA"))
    if f.data_title_eq:
        where.append(t.data_title == f.data_title_eq)
    if f.data_title_like:
        where.append(t.data_title.like(f.data_title_like))
    if f.workflow_stage_title_eq:
        where.append(t.workflow_stage_title == f.workflow_stage_title_eq)
    if f.workflow_stage_title_like:
        where.append(t.workflow_stage_title.like(f.workflow_stage_title_like))
    return where


def _status_splits(f: ListFilters) -> list[list]:
    """One extra condition list per query: a single status rides its index; several are split."""
    t = LabelRow.__table__.c
    label = _check_values("label_statuses", f.label_statuses, LABEL_STATUSES)
    task = _check_values("annotation_task_statuses", f.annotation_task_statuses, TASK_STATUSES)
    split_on, split_column = (label, t.label_status) if len(label) > 1 else (task, t.annotation_task_status)
    fixed = []
    if label and split_on is not label:
        fixed.append(t.label_status == label[0])
    if task and split_on is not task:
        fixed.append(t.annotation_task_status.in_(task) if len(task) > 1 else t.annotation_task_status == task[0])
    if not split_on:
        return [fixed]
    return [[*fixed, split_column == value] for value in split_on]


_META_COLUMNS = {"label_hash": "label_hash", "data_hash": "data_hash", "dataset_hash": "dataset_hash",
                 "dataset_title": "dataset_title", "data_title": "data_title", "data_type": "data_type",
                 "branch_name": "branch_name", "label_status": "label_status",
                 "annotation_task_status": "annotation_task_status", "created_at": "created_at",
                 "last_edited_at": "last_edited_at", "version": "version", "is_shadow_data": "is_shadow_data",
                 "workflow_node_uuid": "workflow_stage_uuid", "workflow_node_title": "workflow_stage_title"}


def row_meta(row) -> RowMeta:
    """RowMeta of a LabelRow, or of a listing's result row (read through its mapping: a Row's
    attributes cost several times more, and a page reads 15 of them from each of 100 rows)."""
    if isinstance(row, LabelRow):
        return RowMeta(**{field: getattr(row, column) for field, column in _META_COLUMNS.items()})
    values = row._mapping
    return RowMeta(**{field: values[column] for field, column in _META_COLUMNS.items()})


def unit_infos(units: Sequence[dict], links: dict[str, str] | None = None) -> list[UnitInfo]:
    return [UnitInfo(**{**u, "link": (links or {}).get(u["hash"])}) for u in units]


def _row_json(row, *, include_client_metadata: bool) -> str:
    values = row._mapping
    meta = metadata_dict(meta=row_meta(row), units=unit_infos(orjson.loads(values["units_json"])),
                         include_client_metadata=include_client_metadata,
                         client_metadata=orjson.loads(values["client_metadata_json"]) if include_client_metadata
                         else None)
    meta["version"] = values["version"]
    return orjson.dumps(meta).decode()


async def list_rows(*, deps: Deps, caller: Principal, project_id: int, filters: ListFilters, page_size: int,
                    page_token: str) -> tuple[list[str], str]:
    """Rows as LabelRowMetadata JSON texts (plus ``version``), and the next page's token. Any member
    of the project (``caller``, checked by the projects service) may list."""
    limit, after = paging.page_size(page_size), paging.decode(page_token)
    where = _where(filters)
    splits = _status_splits(filters)
    await member_standing(deps=deps, caller=caller, project_id=project_id)
    async with deps.db.session() as s:
        pages = [await store.page_rows(s, project_id=project_id, after_id=after, limit=limit, where=[*where, *extra])
                 for extra in splits]
    rows = pages[0] if len(pages) == 1 else list(heapq.merge(*pages, key=lambda r: r.id))[:limit]
    return ([_row_json(r, include_client_metadata=filters.include_client_metadata) for r in rows],
            paging.next_token(rows, limit))
