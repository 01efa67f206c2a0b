"""Every problem of an input, each with its path, raised at once (FastAPI's 422 detail shape)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from services.core.errors import InvalidArgument

Loc = tuple[str | int, ...]


def path_text(loc: Loc) -> str:
    """``("objects", 1, "attributes", 0)`` → ``objects[1].attributes[0]``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "structure"


@dataclass
class Problems:
    """Collects problems under a root location (``structure`` for a whole ontology structure,
    ``body`` for a request body) and raises them together with ``message``."""

    root: Sequence[str] = ("structure",)
    message: str = "The ontology structure is invalid."
    items: list[dict] = field(default_factory=list)

    def add(self, loc: Loc, kind: str, msg: str) -> None:
        self.items.append({"loc": [*self.root, *loc], "msg": f"{path_text(loc)}: {msg}", "type": kind})

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidArgument(self.message, detail=self.items)
