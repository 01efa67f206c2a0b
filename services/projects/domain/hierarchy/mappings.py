"""Free-column mappings of a project (EcoTaxa's mappingobj/sample/acq/process): a name gets the
next free ``n``/``t`` column of its table when first seen, and keeps it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from services.core.errors import InvalidArgument
from services.projects import hierarchy_store as hs

# The project column holding each mapping, and the free columns of each kind.
MAPPING_FIELD = {"object": "obj_free_cols", "sample": "sample_free_cols", "acquisition": "acquisition_free_cols",
                 "process": "process_free_cols"}
CAPACITY = {
    ("sample", "t"): hs.SAMPLE_FREE, ("acquisition", "t"): hs.ACQUISITION_FREE, ("process", "t"): hs.PROCESS_FREE,
    ("object", "n"): hs.OBJECT_NUMBER_FREE, ("object", "t"): hs.OBJECT_TEXT_FREE,
}
NAME_MAX = 100


def extend_mapping(mapping: Mapping[str, str], *, kind: str, names: Iterable[str], type: str) -> dict[str, str]:
    """``mapping`` with every new name of ``names`` given the next free column of ``type``
    ("n" numeric, "t" text). A name mapped already must have that type."""
    out = dict(mapping)
    used = set(out.values())
    free = [c for c in CAPACITY[(kind, type)] if c not in used]
    for name in dict.fromkeys(names):
        if not name or len(name) > NAME_MAX or name != name.strip():
            raise InvalidArgument(f"Invalid {kind} free column name '{name[:NAME_MAX]}'.")
        current = out.get(name)
        if current is not None:
            if not current.startswith(type):
                raise InvalidArgument(f"Field {name} cannot be mapped. Too many custom fields, or bad type.")
            continue
        if not free:
            raise InvalidArgument(f"Field {name} cannot be mapped. Too many custom fields, or bad type.")
        out[name] = free.pop(0)
    return out
