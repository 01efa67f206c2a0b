"""Statistics deltas of classification changes (pure).

- Taxa: a row counts in its taxon's ``nbr`` (taxon -1 when unclassified) and, by its state, in
  ``nbr_v``, ``nbr_d`` or ``nbr_p``. A change moves the row: minus the old state, plus the new.
- Annotators (EcoTaxa's user stats): a user's actions are the validated or dubious rows they hold
  now plus the history rows they left. A change by a user adds one action to that user; the
  state it replaces moves to the history and keeps counting for its own user."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from services.labels.classif_store import State

UNCLASSIFIED = -1
_STATE_COLUMN = {"V": 1, "D": 2, "P": 3}


class Deltas:
    def __init__(self) -> None:
        self.taxa: dict[int, list[int]] = {}
        self.annotators: dict[int, tuple[int, datetime | None]] = {}

    def count(self, states: Iterable[State], sign: int = 1) -> Deltas:
        """Rows entering (+1) or leaving (-1) the taxa counts."""
        for st in states:
            taxon = st.classif_id if st.classif_id is not None else UNCLASSIFIED
            row = self.taxa.setdefault(taxon, [0, 0, 0, 0])
            row[0] += sign
            column = _STATE_COLUMN.get(st.classif_qual or "")
            if column:
                row[column] += sign
        return self

    def act(self, users: Iterable[tuple[int | None, datetime | None]], sign: int = 1) -> Deltas:
        """Actions of users (at their times) gained (+1) or lost (-1)."""
        for user, when in users:
            if not user:
                continue
            count, last = self.annotators.get(user, (0, None))
            if sign > 0 and when is not None and (last is None or when > last):
                last = when
            self.annotators[user] = (count + sign, last)
        return self

    def __bool__(self) -> bool:
        return any(any(v) for v in self.taxa.values()) or bool(self.annotators)


def actions_of(states: Iterable[State]) -> list[tuple[int | None, datetime | None]]:
    """The annotator actions a set of current rows holds (validated or dubious, with a user)."""
    return [(st.classif_who, st.classif_date) for st in states if st.classif_qual in ("V", "D") and st.classif_who]
