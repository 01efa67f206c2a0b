"""EcoTaxa's object sets: a project's objects reduced by ProjectFilters, as an ordered, windowed
page of ids and requested fields, as a classification summary, and column statistics over
several projects (docs/object-sets.md).

Every filter is a SQLAlchemy condition on ``obj_head``; ``obj_field``, the classification copy
(``obj_classif``, outer: no row is unclassified), the acquisition, sample, process and first image
are joined only when a filter, a field or the order needs them. A page is one statement and its
total another; nothing is filtered or sorted in Python."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Protocol

import sqlalchemy as sa

from services.core.auth import Principal
from services.core.errors import InvalidArgument
from services.projects import hierarchy_store as hs
from services.projects.datasets_store import DataImage
from services.projects.domain.hierarchy.access import (
    readable_project,
    readable_projects,
)
from services.projects.domain.hierarchy.views import media_file_name
from services.projects.domain.ports import Deps
from services.projects.store import Project

INT64_MAX = 2**63 - 1
# Items of one list filter (taxa, samples, users...).
MAX_LIST = 100_000
MAX_FIELDS = 500
MAX_TEXT = 1_000

FILTER_NAMES = frozenset({
    "taxo", "taxochild", "statusfilter", "MapN", "MapW", "MapE", "MapS", "depthmin", "depthmax", "samples",
    "instrum", "daytime", "month", "fromdate", "todate", "fromtime", "totime", "inverttime", "validfromdate",
    "validtodate", "freenum", "freenumst", "freenumend", "freetxt", "freetxtval", "filt_annot", "filt_last_annot"})
STATUS_FILTERS = frozenset({"NV", "PV", "PVD", "NVM", "VM", "U", "UP", "P", "V", "D", "X"})
SUNPOS = frozenset("DUNA?")

head, field, classif = hs.obj_head, hs.obj_field, hs.obj_classif
img = DataImage.__table__.alias("img")
_img_rank = DataImage.__table__.alias("img_rank")
_img_count = DataImage.__table__.alias("img_count")

# Joins, by name: what each adds to obj_head.
FIELD, CLASSIF, ACQ, SAM, PRC, IMG = "field", "classif", "acq", "sam", "prc", "img"
JOIN_ORDER = (FIELD, CLASSIF, ACQ, SAM, PRC, IMG)


class TaxaPort(Protocol):
    async def descendants(self, ids: Sequence[int]) -> list[int]:
        """The taxa and all their descendants (unknown ids stand for themselves)."""

    async def taxa_by_id(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Known taxa: id -> id, parent_id, name, display_name, taxotype, taxostatus, rename_to,
        aphia_id, nbrobj, nbrobjcum."""


def _from(joins: set[str], base: sa.FromClause | None = None) -> sa.FromClause:
    """obj_head (or ``base``, which holds it) with the named joins."""
    out: sa.FromClause = head if base is None else base
    for name in JOIN_ORDER:
        if name not in joins:
            continue
        if name == FIELD:
            out = out.outerjoin(field, field.c.objid == head.c.objid)
        elif name == CLASSIF:
            out = out.outerjoin(classif, classif.c.objid == head.c.objid)
        elif name == ACQ:
            out = out.join(hs.acquisition, hs.acquisition.c.acquisid == head.c.acquisid)
        elif name == SAM:
            out = out.join(hs.sample, hs.sample.c.sampleid == head.c.sampleid)
        elif name == PRC:
            out = out.outerjoin(hs.process, hs.process.c.processid == head.c.acquisid)
        elif name == IMG:
            first = (sa.select(sa.func.min(_img_rank.c.rank)).where(_img_rank.c.data_unit_id == head.c.data_unit_id)
                     .scalar_subquery())
            out = out.outerjoin(img, sa.and_(img.c.data_unit_id == head.c.data_unit_id, img.c.rank == first))
    return out


def _in(column, values: Sequence) -> sa.ColumnElement:
    """``column IN (...)`` with the values inlined: lists may exceed SQLite's bound-parameter cap."""
    return column.in_(sa.bindparam(f"in_{column.name}", sorted(set(values)), expanding=True, literal_execute=True,
                                   unique=True))


# ---------------------------------------------------------------- filter values

def _bad(name: str, message: str) -> InvalidArgument:
    return InvalidArgument(f"Invalid filter '{name}': {message}")


def _show(text: str) -> str:
    return repr(text[:40])


def _items(name: str, text: str) -> list[str]:
    items = [p.strip() for p in text.split(",")]
    items = [p for p in items if p]
    if len(items) > MAX_LIST:
        raise _bad(name, f"at most {MAX_LIST} values")
    return items


def _ints(name: str, text: str, *, low: int = 0, high: int = INT64_MAX, skip: tuple[str, ...] = ()) -> list[int]:
    out = []
    for item in _items(name, text):
        if item in skip:
            continue
        if not re.fullmatch(r"[+-]?\d{1,19}", item) or not low <= int(item) <= high:
            raise _bad(name, f"{_show(item)} is not a number between {low} and {high}.")
        out.append(int(item))
    return out


def _number(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _bad(name, f"{_show(text)} is not a number.") from None
    if not math.isfinite(value):
        raise _bad(name, f"{_show(text)} is not a finite number.")
    return value


def _date(name: str, text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise _bad(name, f"{_show(text)} is not a date (YYYY-MM-DD).") from None


def _time(name: str, text: str) -> time:
    found = re.fullmatch(r"(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?", text.strip())
    if found:
        hour, minute, second = int(found[1]), int(found[2]), int(found[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second)
    raise _bad(name, f"{_show(text)} is not a time of day (HH24:MI:SS).")


def _timestamp(name: str, text: str) -> datetime:
    found = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", text.strip())
    if found:
        try:
            day = datetime.strptime(found[1], "%Y-%m-%d")
            return day.replace(hour=int(found[2] or 0), minute=int(found[3] or 0), second=int(found[4] or 0))
        except ValueError:
            pass
    raise _bad(name, f"{_show(text)} is not a date and time (YYYY-MM-DD HH24:MI).")


def _free_number_column(text: str) -> sa.ColumnElement:
    """``nNN`` (or EcoTaxa's ``onNN``): a numeric object free column; ``oscore``: the
    classification score."""
    if text in ("oscore", "score"):
        return classif.c.classif_score
    found = re.fullmatch(r"o?n(\d{1,3})", text)
    if found and 1 <= int(found[1]) <= hs.OBJECT_NUMBERS:
        return field.c[hs.OBJECT_NUMBER_FREE[int(found[1]) - 1]]
    raise _bad("freenum", f"{_show(text)} is not a numeric object column (n01..n{hs.OBJECT_NUMBERS}, or oscore).")


FREE_TEXT_TABLES = {"o": (field, hs.OBJECT_TEXTS, FIELD), "s": (hs.sample, hs.SAMPLE_TEXTS, SAM),
                    "a": (hs.acquisition, hs.ACQUISITION_TEXTS, ACQ), "p": (hs.process, hs.PROCESS_TEXTS, PRC)}


def _free_text_column(text: str) -> tuple[sa.ColumnElement, str]:
    """``tNN``: an object text column; EcoTaxa's ``<table letter>[t]NN`` (o object, s sample,
    a acquisition, p process) also."""
    found = re.fullmatch(r"(?:([osap])t?|t)(\d{1,2})", text)
    if found:
        table, count, join = FREE_TEXT_TABLES[found[1] or "o"]
        if 1 <= int(found[2]) <= count:
            return table.c[f"t{int(found[2]):02d}"], join
    raise _bad("freetxt", f"{_show(text)} is not a text column (tNN for objects; sNN, aNN, pNN for samples, "
                          "acquisitions, processes).")


def _like(text: str) -> str:
    """Containment, with EcoTaxa's anchors: '^x' starts with x, 'x$' ends with x."""
    starts, ends = text.startswith("^"), text.endswith("$") and len(text) > 1
    core = text[1 if starts else 0:len(text) - 1 if ends else len(text)]
    escaped = core.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return ("" if starts else "%") + escaped + ("" if ends else "%")


@dataclass
class Conditions:
    where: list[sa.ColumnElement]
    joins: set[str]


async def filter_conditions(*, filters: Mapping[str, str], project_id: int, user_id: int | None,
                            taxa: TaxaPort) -> Conditions:
    """The conditions of EcoTaxa's ProjectFilters on the project's visible objects. Empty values
    are unset; a malformed value is refused, naming its filter."""
    unknown = sorted(set(filters) - FILTER_NAMES)
    if unknown:
        raise InvalidArgument(f"Unknown filter '{unknown[0][:40]}'.")
    for name, value in filters.items():
        if len(value) > (20 * MAX_LIST if name in ("taxo", "samples", "filt_annot", "filt_last_annot") else MAX_TEXT):
            raise _bad(name, "the value is too long.")
    f = {k: v.strip() for k, v in filters.items() if v and v.strip()}
    where: list[sa.ColumnElement] = [head.c.projid == project_id, head.c.staging_job_id.is_(None)]
    joins: set[str] = set()
    q, who = classif.c.classif_qual, classif.c.classif_who

    if "samples" in f:
        where.append(_in(head.c.sampleid, _ints("samples", f["samples"])))
    if "taxo" in f:
        ids = _ints("taxo", f["taxo"], skip=("None",))
        if f.get("taxochild") == "Y" and ids:
            ids = await taxa.descendants(ids)
        where.append(_in(classif.c.classif_id, ids))
        joins.add(CLASSIF)
    if "statusfilter" in f:
        status = f["statusfilter"]
        if status not in STATUS_FILTERS:
            raise _bad("statusfilter", f"{_show(status)} is not one of {', '.join(sorted(STATUS_FILTERS))}.")
        where.append({
            "NV": lambda: sa.or_(q.in_(["D", "P"]), q.is_(None)),
            "PV": lambda: q.in_(["P", "V"]),
            "PVD": lambda: q.is_not(None),
            "NVM": lambda: sa.and_(q == "V", sa.or_(who.is_(None), who != user_id) if user_id is not None
                                   else sa.true()),
            "VM": lambda: sa.and_(q == "V", who == user_id) if user_id is not None else sa.false(),
            "U": lambda: q.is_(None),
            "UP": lambda: sa.or_(q == "P", q.is_(None)),
        }.get(status, lambda: q == status)())
        joins.add(CLASSIF)
    bbox = {k: _number(k, f[k]) for k in ("MapN", "MapW", "MapE", "MapS") if k in f}
    if len(bbox) == 4:
        where += [head.c.latitude.between(bbox["MapS"], bbox["MapN"]),
                  head.c.longitude.between(bbox["MapW"], bbox["MapE"])]
    depths = {k: _number(k, f[k]) for k in ("depthmin", "depthmax") if k in f}
    if len(depths) == 2:
        low, high = depths["depthmin"], depths["depthmax"]
        where += [head.c.depth_min.between(low, high), head.c.depth_max.between(low, high)]
    if "instrum" in f:
        where.append(sa.func.lower(hs.acquisition.c.instrument) == f["instrum"].lower())
        joins.add(ACQ)
    if "daytime" in f:
        values = [v.upper() for v in _items("daytime", f["daytime"])]
        if not values or any(v not in SUNPOS for v in values):
            raise _bad("daytime", f"{_show(f['daytime'])} is not a list of D, U, N, A.")
        where.append(head.c.sunpos.in_(sorted(set(values))))
    if "month" in f:
        months = _ints("month", f["month"], low=1, high=12)
        where.append(sa.extract("month", head.c.objdate).in_(sorted(set(months))))
    if "fromdate" in f:
        where.append(head.c.objdate >= _date("fromdate", f["fromdate"]))
    if "todate" in f:
        where.append(head.c.objdate <= _date("todate", f["todate"]))
    from_time = _time("fromtime", f["fromtime"]) if "fromtime" in f else None
    to_time = _time("totime", f["totime"]) if "totime" in f else None
    if f.get("inverttime") == "1":
        if from_time is not None and to_time is not None:
            where.append(sa.or_(head.c.objtime <= from_time, head.c.objtime >= to_time))
    else:
        if from_time is not None:
            where.append(head.c.objtime >= from_time)
        if to_time is not None:
            where.append(head.c.objtime <= to_time)
    if "validfromdate" in f:
        where.append(classif.c.classif_date >= _timestamp("validfromdate", f["validfromdate"]))
        joins.add(CLASSIF)
    if "validtodate" in f:
        where.append(classif.c.classif_date <= _timestamp("validtodate", f["validtodate"]))
        joins.add(CLASSIF)
    bounds = [(k, _number(k, f[k])) for k in ("freenumst", "freenumend") if k in f]
    if "freenum" in f:
        column = _free_number_column(f["freenum"])
        for name, bound in bounds:
            where.append(column >= bound if name == "freenumst" else column <= bound)
        if bounds:
            joins.add(CLASSIF if column.table is classif else FIELD)
    if "freetxt" in f:
        column, join = _free_text_column(f["freetxt"])
        if "freetxtval" in f:
            where.append(column.ilike(_like(f["freetxtval"]), escape="\\"))
            joins.add(join)
    if "filt_annot" in f:
        users = _ints("filt_annot", f["filt_annot"])
        annotators = hs.obj_annotator
        where.append(sa.exists().where(annotators.c.objid == head.c.objid, _in(annotators.c.user_id, users)))
    if "filt_last_annot" in f:
        where.append(_in(who, _ints("filt_last_annot", f["filt_last_annot"])))
        joins.add(CLASSIF)
    return Conditions(where=where, joins=joins)


# ---------------------------------------------------------------- fields

@dataclass(frozen=True)
class FieldSpec:
    """How one requested field is read: the SQL expressions selected, the joins they need, and
    how their values become the answer's value. ``taxon``: the answer is that attribute of the
    taxon whose id is the first value."""

    exprs: tuple[sa.ColumnElement, ...]
    joins: frozenset[str] = frozenset()
    convert: Callable[..., Any] | None = None
    taxon: str | None = None
    # Orders with nulls first ascending (EcoTaxa's rule for the *_when columns).
    nulls_low: bool = False
    # A subquery per row: read for the page's rows only.
    per_row: bool = False


def _single(expr, *joins: str, **kw) -> FieldSpec:
    return FieldSpec(exprs=(expr,), joins=frozenset(joins), **kw)


def _predicted(column) -> sa.ColumnElement:
    return sa.case((classif.c.classif_qual == "P", column), else_=None)


def _image_count() -> sa.ColumnElement:
    return (sa.select(sa.func.count()).select_from(_img_count)
            .where(_img_count.c.data_unit_id == head.c.data_unit_id).scalar_subquery())


OBJ_HEAD_FIELDS = ("objid", "acquisid", "orig_id", "latitude", "longitude", "objdate", "objtime", "depth_min",
                   "depth_max", "sunpos", "object_link", "complement_info", "random_value")


def _obj_fields() -> dict[str, FieldSpec]:
    out = {name: _single(head.c[name]) for name in OBJ_HEAD_FIELDS}
    out.update({
        "classif_id": _single(classif.c.classif_id, CLASSIF),
        "classif_qual": _single(classif.c.classif_qual, CLASSIF),
        "classif_who": _single(classif.c.classif_who, CLASSIF),
        "classif_when": _single(classif.c.classif_date, CLASSIF, nulls_low=True),
        "classif_score": _single(classif.c.classif_score, CLASSIF),
        "classif_auto_id": _single(_predicted(classif.c.classif_id), CLASSIF),
        "classif_auto_score": _single(_predicted(classif.c.classif_score), CLASSIF),
        "classif_auto_when": _single(_predicted(classif.c.classif_date), CLASSIF, nulls_low=True),
        "classif_crossvalidation_id": _single(sa.null()),
        "similarity": _single(sa.null()),
        "imgcount": _single(_image_count(), per_row=True),
    })
    return out


def _img_fields() -> dict[str, FieldSpec]:
    def file_name(key, media_type):
        return media_file_name(key, media_type) if key else None

    def thumb_name(key):
        return media_file_name(key, "image/jpeg") if key else None

    return {
        "imgid": _single(img.c.id, IMG), "objid": _single(head.c.objid), "imgrank": _single(img.c.rank, IMG),
        "width": _single(img.c.width, IMG), "height": _single(img.c.height, IMG),
        "orig_file_name": _single(img.c.orig_file_name, IMG),
        "file_name": FieldSpec(exprs=(img.c.blob_key, img.c.media_type), joins=frozenset({IMG}), convert=file_name),
        "thumb_file_name": _single(img.c.thumb_key, IMG, convert=thumb_name),
        "thumb_width": _single(img.c.thumb_width, IMG), "thumb_height": _single(img.c.thumb_height, IMG),
        "blob_key": _single(img.c.blob_key, IMG), "media_type": _single(img.c.media_type, IMG),
    }


TAXON_FIELDS = ("id", "parent_id", "name", "display_name", "taxotype", "taxostatus", "rename_to", "aphia_id",
                "nbrobj", "nbrobjcum")
SAMPLE_FIELDS = ("sampleid", "orig_id", "latitude", "longitude", "dataportal_descriptor")
ACQUISITION_FIELDS = ("acquisid", "orig_id", "instrument")

_OBJ, _IMG = _obj_fields(), _img_fields()


def resolve_field(name: str, project: Project) -> FieldSpec:
    """One prefixed field (obj., fre., img., txo., sam., acq.); unknown ones are refused."""
    prefix, _, column = name.partition(".")
    found: FieldSpec | None = None
    if prefix == "obj":
        found = _OBJ.get(column)
    elif prefix == "fre":
        db_name = project.obj_free_cols.get(column)
        if isinstance(db_name, str) and db_name in field.c:
            found = _single(field.c[db_name], FIELD)
    elif prefix == "img":
        found = _IMG.get(column)
    elif prefix == "txo" and column in TAXON_FIELDS:
        found = _single(classif.c.classif_id, CLASSIF, taxon=column)
    elif prefix == "sam":
        db_name = column if column in SAMPLE_FIELDS else project.sample_free_cols.get(column)
        if isinstance(db_name, str) and db_name in hs.sample.c:
            found = _single(hs.sample.c[db_name], SAM)
    elif prefix == "acq":
        db_name = column if column in ACQUISITION_FIELDS else project.acquisition_free_cols.get(column)
        if isinstance(db_name, str) and db_name in hs.acquisition.c:
            found = _single(hs.acquisition.c[db_name], ACQ)
    if found is None:
        raise InvalidArgument(f"Unknown field '{name[:100]}': use obj.<column>, fre.<free column name>, "
                              "img.<column>, txo.<column>, sam.<column> or acq.<column>.")
    return found


@dataclass(frozen=True)
class OrderKey:
    expr: sa.ColumnElement
    descending: bool
    nulls_first: bool | None = None  # None: a column without nulls

    def clause(self, expr: sa.ColumnElement | None = None) -> sa.ColumnElement:
        ordered = (self.expr if expr is None else expr)
        ordered = ordered.desc() if self.descending else ordered.asc()
        if self.nulls_first is None:
            return ordered
        return ordered.nulls_first() if self.nulls_first else ordered.nulls_last()


def order_keys(order_field: str, project: Project) -> tuple[list[OrderKey], set[str]]:
    """EcoTaxa's order_field ('-' first: descending) as order keys, objid last as tie-breaker in
    the same direction, and the joins they need. Nulls sort as larger than any value
    (PostgreSQL's rule, EcoTaxa's), except for the *_when columns."""
    text = order_field.strip()
    descending = text.startswith("-")
    text = text[1:] if descending else text
    tie = OrderKey(head.c.objid, descending)
    if not text:
        return [tie], set()
    if "." not in text:
        text = f"obj.{text}" if text in _OBJ else f"fre.{text}"
    try:
        spec = resolve_field(text, project)
    except InvalidArgument:
        raise InvalidArgument(f"Unknown order_field '{order_field[:100]}'.") from None
    if spec.taxon is not None:
        raise InvalidArgument(f"Cannot order by '{text}': taxa live in the taxonomy service.")
    expr = spec.exprs[0]
    if expr is head.c.objid:
        return [tie], set()
    return [OrderKey(expr, descending, descending != spec.nulls_low), tie], set(spec.joins)


def page_statement(*, cond: Conditions, specs: Sequence[FieldSpec], order: Sequence[OrderKey],
                   order_joins: set[str], start: int, size: int | None) -> sa.Select:
    """One statement for a window of the filtered objects: objid, acquisid, sampleid, then the
    fields' expressions. When fields need more joins (or a subquery per row) than the filters and
    the order, the window is chosen first and only its rows are joined to them."""
    chosen = cond.joins | order_joins
    field_joins = set().union(*(spec.joins for spec in specs))
    exprs = [e for spec in specs for e in spec.exprs]
    if not (field_joins - chosen) and not any(spec.per_row for spec in specs):
        stmt = (sa.select(head.c.objid, head.c.acquisid, head.c.sampleid, *exprs)
                .select_from(_from(chosen | field_joins)).where(*cond.where)
                .order_by(*[k.clause() for k in order]))
        return _windowed(stmt, start, size)
    keys = [k.expr.label(f"o{i}") for i, k in enumerate(order)]
    window = _windowed(sa.select(*keys).select_from(_from(chosen)).where(*cond.where)
                       .order_by(*[k.clause() for k in order]), start, size).subquery("page")
    base = window.join(head, head.c.objid == window.c[f"o{len(order) - 1}"])
    return (sa.select(head.c.objid, head.c.acquisid, head.c.sampleid, *exprs)
            .select_from(_from(field_joins, base=base))
            .order_by(*[k.clause(window.c[f"o{i}"]) for i, k in enumerate(order)]))


def _windowed(stmt: sa.Select, start: int, size: int | None) -> sa.Select:
    if start:
        stmt = stmt.offset(start)
    if size is not None:
        stmt = stmt.limit(size)
    return stmt


def count_statement(cond: Conditions) -> sa.Select:
    return sa.select(sa.func.count()).select_from(_from(cond.joins)).where(*cond.where)


# ---------------------------------------------------------------- queries

@dataclass(frozen=True)
class ObjectPage:
    object_ids: list[int]
    acquisition_ids: list[int]
    sample_ids: list[int]
    project_id: int
    details: list[list[Any]]
    total: int


def _effective_filters(filters: Mapping[str, str], caller: Principal) -> dict[str, str]:
    """Anonymous readers only see validated objects (EcoTaxa's rule)."""
    out = dict(filters)
    if caller.user_id is None:
        out["statusfilter"] = "V"
    return out


def _window(start: int | None, size: int | None) -> tuple[int, int | None]:
    if start is not None and start < 0:
        raise InvalidArgument("window_start may not be negative.")
    if size is not None and size < 0:
        raise InvalidArgument("window_size may not be negative.")
    return start or 0, size


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


async def query_objects(*, deps: Deps, taxa: TaxaPort, caller: Principal, project_id: int,
                        filters: Mapping[str, str], fields: Sequence[str] = (), order_field: str = "",
                        window_start: int | None = None, window_size: int | None = None) -> ObjectPage:
    """EcoTaxa's object-set query: the ids (with parents) of the filtered objects in order, the
    requested fields of each, and the total before windowing."""
    project = await readable_project(deps=deps, caller=caller, project_id=project_id)
    start, size = _window(window_start, window_size)
    names = [n.strip() for n in fields if n.strip()]
    if len(names) > MAX_FIELDS:
        raise InvalidArgument(f"At most {MAX_FIELDS} fields.")
    specs = [resolve_field(n, project) for n in names]
    order, order_joins = order_keys(order_field, project)
    cond = await filter_conditions(filters=_effective_filters(filters, caller), project_id=project_id,
                                   user_id=caller.user_id, taxa=taxa)
    slices, at = [], 3
    for spec in specs:
        slices.append((at, at + len(spec.exprs)))
        at += len(spec.exprs)
    stmt = page_statement(cond=cond, specs=specs, order=order, order_joins=order_joins, start=start, size=size)
    async with deps.db.session() as s:
        rows = (await s.execute(stmt)).all()
        # The total is known from the page itself unless the page is full, or empty past the start.
        if size == 0 or (size is not None and len(rows) == size) or (start and not rows):
            total = (await s.execute(count_statement(cond))).scalar_one()
        else:
            total = start + len(rows)
    named_taxa: dict[int, dict[str, Any]] = {}
    wanted = sorted({row[a] for spec, (a, _) in zip(specs, slices) if spec.taxon for row in rows if row[a]})
    if wanted:
        named_taxa = await taxa.taxa_by_id(wanted)
    details = []
    for row in rows:
        values = []
        for spec, (a, b) in zip(specs, slices):
            if spec.taxon is not None:
                found = named_taxa.get(row[a]) if row[a] is not None else None
                values.append(found.get(spec.taxon) if found else None)
            elif spec.convert is not None:
                values.append(spec.convert(*row[a:b]))
            else:
                values.append(_json_value(row[a]))
        details.append(values)
    return ObjectPage(object_ids=[r[0] for r in rows], acquisition_ids=[r[1] for r in rows],
                      sample_ids=[r[2] for r in rows], project_id=project_id, details=details, total=total)


@dataclass(frozen=True)
class Summary:
    total: int
    validated: int | None
    dubious: int | None
    predicted: int | None


async def summarize_objects(*, deps: Deps, taxa: TaxaPort, caller: Principal, project_id: int,
                            filters: Mapping[str, str], only_total: bool) -> Summary:
    """Counts over the filtered objects: all, and unless ``only_total`` validated, dubious and
    predicted ones."""
    await readable_project(deps=deps, caller=caller, project_id=project_id)
    cond = await filter_conditions(filters=_effective_filters(filters, caller), project_id=project_id,
                                   user_id=caller.user_id, taxa=taxa)
    counts = [sa.func.count()]
    joins = set(cond.joins)
    if not only_total:
        joins.add(CLASSIF)
        counts += [sa.func.count(sa.case((classif.c.classif_qual == q, 1), else_=None)) for q in ("V", "D", "P")]
    async with deps.db.session() as s:
        found = (await s.execute(sa.select(*counts).select_from(_from(joins)).where(*cond.where))).one()
    if only_total:
        return Summary(total=found[0], validated=None, dubious=None, predicted=None)
    return Summary(total=found[0], validated=found[1], dubious=found[2], predicted=found[3])


# ---------------------------------------------------------------- column statistics

# obj.* columns with numbers, for statistics.
NUMERIC_OBJ = {"objid": (head.c.objid, set()), "acquisid": (head.c.acquisid, set()),
               "latitude": (head.c.latitude, set()), "longitude": (head.c.longitude, set()),
               "depth_min": (head.c.depth_min, set()), "depth_max": (head.c.depth_max, set()),
               "random_value": (head.c.random_value, set()), "classif_id": (classif.c.classif_id, {CLASSIF}),
               "classif_score": (classif.c.classif_score, {CLASSIF})}


@dataclass(frozen=True)
class ColumnStats:
    proj_ids: list[int]
    total: int
    columns: list[str]
    counts: list[int]
    variances: list[float | None]


def _stat_column(name: str, project: Project) -> tuple[sa.ColumnElement, set[str]]:
    prefix, _, column = name.partition(".")
    if prefix == "obj" and column in NUMERIC_OBJ:
        expr, joins = NUMERIC_OBJ[column]
        return expr, set(joins)
    if prefix == "fre":
        db_name = project.obj_free_cols.get(column)
        if db_name is None:
            raise InvalidArgument(f"Project {project.projid} has no free column '{column[:100]}'.")
        if not db_name.startswith("n"):
            raise InvalidArgument(f"Column '{name[:100]}' of project {project.projid} is not numeric.")
        return field.c[db_name], {FIELD}
    if prefix == "obj":
        raise InvalidArgument(f"Column '{name[:100]}' is not a numeric object column "
                              f"({', '.join('obj.' + c for c in NUMERIC_OBJ)}).")
    raise InvalidArgument(f"Unknown column '{name[:100]}': use fre.<free column name> or obj.<column>.")


def stats_statement(*, projects: Sequence[Project], columns: Sequence[str], limit: int | None,
                    categories: Sequence[int]) -> sa.Select:
    """One statement: the chosen objects of every project as a UNION ALL of their columns (free
    ones by each project's mapping), then the count and, per column, the count of values and
    the sample variance as the sum of squared distances to the mean (for precision)."""
    parts = []
    for project in projects:
        resolved = [_stat_column(c, project) for c in columns]
        joins = set().union(*(j for _, j in resolved))
        if categories:
            joins.add(CLASSIF)
        extra = [classif.c.classif_id.label("classif_id")] if categories else []
        part = (sa.select(head.c.objid.label("objid"), head.c.random_value.label("random_value"), *extra,
                          *[sa.cast(expr, sa.Float).label(f"c{i}") for i, (expr, _) in enumerate(resolved)])
                .select_from(_from(joins)).where(head.c.projid == project.projid, head.c.staging_job_id.is_(None)))
        if categories:
            part = part.where(_in(classif.c.classif_id, categories))
        if limit is not None:
            part = part.where(classif.c.classif_qual == "V")
        parts.append(part)
    flat = (parts[0] if len(parts) == 1 else sa.union_all(*parts)).subquery("flat")
    if limit is not None:
        rank = sa.func.row_number().over(partition_by=flat.c.classif_id,
                                         order_by=(flat.c.random_value, flat.c.objid)).label("rk")
        ranked = sa.select(flat, rank).subquery("ranked")
        flat = sa.select(ranked).where(ranked.c.rk <= limit).subquery("sampled")
    # Each value minus the mean of its column (a window over every row: computed once).
    values = [flat.c[f"c{i}"] for i in range(len(columns))]
    centered = sa.select(*[v.label(f"c{i}") for i, v in enumerate(values)],
                         *[(v - sa.func.avg(v).over()).label(f"d{i}") for i, v in enumerate(values)]).subquery("centered")
    aggregates = [sa.func.count()]
    for i in range(len(columns)):
        n, d = sa.func.count(centered.c[f"c{i}"]), centered.c[f"d{i}"]
        aggregates += [n, sa.case((n > 1, sa.func.sum(d * d) / sa.cast(n - 1, sa.Float)), else_=None)]
    return sa.select(*aggregates).select_from(centered)


async def column_stats(*, deps: Deps, caller: Principal, project_ids: Sequence[int], names: Sequence[str],
                       limit: int | None = None, categories: Sequence[int] = ()) -> ColumnStats:
    """EcoTaxa's column statistics over the visible objects of several projects: their number and,
    per column, the count of values and their sample variance (None below two values).
    ``categories`` keeps the objects of these taxa; with ``limit``, only validated ones, at most
    ``limit`` per taxon over all the projects, in ``random_value`` order (a fixed random sample)."""
    columns = [n.strip() for n in names]
    if not project_ids:
        raise InvalidArgument("No project id.")
    if not columns or any(not c for c in columns):
        raise InvalidArgument("names: a comma-separated list of prefixed columns is needed.")
    if len(columns) > MAX_FIELDS:
        raise InvalidArgument(f"At most {MAX_FIELDS} columns.")
    if limit is not None and (limit < 0 or not categories):
        raise InvalidArgument("limit needs categories and may not be negative.")
    if len(categories) > MAX_LIST:
        raise InvalidArgument(f"At most {MAX_LIST} categories.")
    projects = await readable_projects(deps=deps, caller=caller, project_ids=project_ids)
    stmt = stats_statement(projects=projects, columns=columns, limit=limit, categories=categories)
    async with deps.db.session() as s:
        found = (await s.execute(stmt)).one()
    return ColumnStats(proj_ids=[p.projid for p in projects], total=found[0], columns=columns,
                       counts=[int(c) for c in found[1::2]],
                       variances=[None if v is None else float(v) for v in found[2::2]])
