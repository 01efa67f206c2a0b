"""Background jobs, for every service: persisted rows, runners, progress, questions, cancellation,
restart, a log file per job, recovery after a service restart (docs/jobs.md).

A service declares its job kinds (``ServicePlugin.job_kinds``) and submits jobs with
``ctx.jobs.submit(session, …)`` in the transaction of the change that asks for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Awaitable, Callable

if TYPE_CHECKING:
    from services.core.jobs.context import JobContext

# Job ids are ``local id × SLOTS + service number``: the id names the service that owns the job.
SLOTS = 8


def public_id(local_id: int, number: int) -> int:
    return local_id * SLOTS + number


def split_id(job_id: int) -> tuple[int, int]:
    """(local id, service number)."""
    return job_id // SLOTS, job_id % SLOTS


@dataclass(frozen=True)
class JobKind:
    # Does the work; returns the job's result (EcoTaxa's JobModel.result).
    run: Callable[["JobContext"], Awaitable[dict | None]]
    # Undoes what a failed or cancelled run left (a saga's compensation); must be idempotent.
    cleanup: Callable[["JobContext"], Awaitable[None]] | None = None
    # After its service died mid-run: run again from ``ctx.inside`` (True) or fail with a message.
    resumable: bool = False


class JobQuestion(Exception):
    """Raised by a run to ask its owner something: the job waits in state A until answered, then
    runs again with ``ctx.reply`` set."""

    def __init__(self, question: dict, message: str = "Waiting for an answer") -> None:
        super().__init__(message)
        self.question = question
        self.message = message


class JobFailed(Exception):
    """An orderly failure: the job ends in state E with these errors."""

    def __init__(self, errors: list[str], result: dict | None = None) -> None:
        super().__init__(f"{len(errors)} error(s) during run")
        self.errors = list(errors)
        self.result = result


class JobCancelled(Exception):
    """The job was deleted while it ran; raised by ``ctx.progress``."""


from services.core.jobs.context import JobContext  # noqa: E402
from services.core.jobs.queue import JobQueue  # noqa: E402

__all__ = ["SLOTS", "JobCancelled", "JobContext", "JobFailed", "JobKind", "JobQuestion", "JobQueue",
           "public_id", "split_id"]
