"""EcoTaxa's project search, translated into one store filter (filtered, sorted and windowed in SQL)."""

from __future__ import annotations

from services.core.auth import Principal
from services.core.errors import InvalidArgument
from services.core.roles import MANAGE, ProjectRole, allows
from services.projects.domain.types import SearchRequest
from services.projects.store import SORTABLE, ProjectFilter

# ProjectModel fields a client may name in order_field that are not columns: accepted, and
# sorting on them keeps the default order (highest_right is never filled in search results).
UNSORTED_FIELDS = frozenset({"highest_right"})


def parse_order_field(order_field: str | None) -> tuple[str, bool]:
    """``"title"`` → ("title", ascending); ``"-objcount"`` → ("objcount", descending)."""
    raw = (order_field or "").strip()
    descending = raw.startswith("-")
    name = raw[1:] if descending else raw
    if not name or name in UNSORTED_FIELDS:
        return "projid", False
    if name not in SORTABLE:
        raise InvalidArgument(f"Invalid order field: {raw}")
    return name, descending


def check_window(*, window_start: int | None, window_size: int | None) -> tuple[int, int | None]:
    if window_start is not None and window_start < 0:
        raise InvalidArgument("window_start must not be negative.")
    if window_size is not None and window_size < 0:
        raise InvalidArgument("window_size must not be negative.")
    return window_start or 0, window_size


def plan_search(*, caller: Principal, request: SearchRequest,
                user_roles: dict[int, ProjectRole] | None) -> ProjectFilter | None:
    """The filter for ``caller``, or None when the answer is necessarily empty.

    ``user_roles`` (project id → effective role) is needed for logged users who are not
    administrators; it is ignored otherwise.
    """
    order_field, descending = parse_order_field(request.order_field)
    offset, limit = check_window(window_start=request.window_start, window_size=request.window_size)
    common = dict(order_field=order_field, descending=descending, offset=offset, limit=limit,
                  title_filter=request.title_filter)
    if limit == 0:
        return None
    if caller.user_id is None:
        # Anonymous callers see visible projects, with the title filter only; they manage nothing.
        if request.for_managing:
            return None
        return ProjectFilter(visible_only=True, **common)
    refined = dict(common, instrument_filter=request.instrument_filter,
                   exclude_subsets=request.filter_subset)
    if caller.is_admin:
        if request.not_granted:
            return None  # an administrator is granted everything
        return ProjectFilter(**refined)
    roles = user_roles or {}
    if request.not_granted:
        if request.for_managing:
            return None  # no right at all cannot include Manage
        return ProjectFilter(ids_not_in=frozenset(roles), visible_only=True, **refined)
    if request.for_managing:
        granted = frozenset(pid for pid, role in roles.items() if allows(role, MANAGE))
    else:
        granted = frozenset(roles)
    if not granted:
        return None
    return ProjectFilter(ids_in=granted, **refined)
