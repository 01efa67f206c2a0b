"""Tables of the models service (the deleted-project record comes from the core)."""

from services.core.tombstones import DeletedProject

__all__ = ["DeletedProject"]
