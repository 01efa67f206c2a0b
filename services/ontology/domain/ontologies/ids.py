"""Feature node hashes and local ids, generated the way Encord does."""

from __future__ import annotations

import re
import secrets
from typing import Iterable

# Encord's own are 8 characters (hex or base64); clients may have longer ones from elsewhere.
FEATURE_HASH = re.compile(r"[A-Za-z0-9_\-+/=]{1,64}")
DOTTED_ID = re.compile(r"[1-9][0-9]*(\.[1-9][0-9]*)*")


def new_feature_hash(taken: set[str]) -> str:
    while True:
        candidate = secrets.token_hex(4)
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def next_local_uid(sibling_ids: Iterable[str]) -> int:
    """max(sibling local uid) + 1, the local uid being the last part of a dotted id."""
    uids = [int(i.rsplit(".", 1)[-1]) for i in sibling_ids if DOTTED_ID.fullmatch(i)]
    return max(uids, default=0) + 1
