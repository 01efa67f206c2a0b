"""What a job's run sees: its parameters, a place to keep state across runs, progress, a log
and a scratch directory."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from services.core.jobs.store import JobRow

if TYPE_CHECKING:
    from services.core.jobs.queue import JobQueue

# Progress reaches the database at most this often (a new percentage always does).
PROGRESS_INTERVAL = 0.5


class JobContext:
    def __init__(self, *, queue: "JobQueue", row: JobRow, log: logging.Logger) -> None:
        self._queue = queue
        self.local_id: int = row.id
        self.job_id: int = queue.public_id(row.id)
        self.type: str = row.type
        self.owner_id: int = row.owner_id
        self.project_id: int | None = row.project_id
        self.params: dict = dict(row.params)
        # Survives restarts and questions: what a resumable run has already done.
        self.inside: dict = dict(row.inside)
        self.reply: dict = dict(row.reply)
        self.log = log
        self.work_dir: Path = queue.work_dir(row.id)
        self._last_pct = row.progress_pct
        self._last_write = 0.0

    async def progress(self, pct: int, msg: str) -> None:
        """Report progress; raises ``JobCancelled`` when the job was deleted meanwhile."""
        pct = max(0, min(100, int(pct)))
        now = time.monotonic()
        if pct == self._last_pct and now - self._last_write < PROGRESS_INTERVAL:
            return
        self._last_pct, self._last_write = pct, now
        await self._queue.report_progress(self.local_id, pct=pct, msg=msg)

    async def save_inside(self) -> None:
        await self._queue.save_inside(self.local_id, self.inside)

    def output_file(self, name: str, media_type: str) -> Path:
        """Where to write the file served by ``GET /jobs/{id}/file``."""
        if "/" in name or name in ("", ".", ".."):
            raise ValueError(f"bad output file name {name!r}")
        self.inside["output"] = {"name": name, "media_type": media_type}
        path = self._queue.output_dir(self.local_id) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
