"""The job queue of one service: submission, the state machine, runners and recovery.

States (EcoTaxa's): P pending → R running → F finished | E error | A asking (→ P on an answer);
E → P on a restart. Runners of every replica of a service claim pending rows with a conditional
UPDATE, so a job runs once; a running job's runner writes a heartbeat, and a job whose heartbeat
stopped (its process died) is taken up again when its kind is resumable, else failed with a
message and compensated."""

from __future__ import annotations

import asyncio
import logging
import shutil
import uuid
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from copepod.v1 import events_pb2
from services.core.auth import Principal
from services.core.bus import EventBus, utcnow
from services.core.db import SessionFactory
from services.core.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from services.core.jobs import JobCancelled, JobFailed, JobKind, JobQuestion, public_id, split_id
from services.core.jobs.context import JobContext
from services.core.jobs.store import ASKING, ERROR, FINISHED, MAX_ERRORS, PENDING, RUNNING, JobRow

log = logging.getLogger(__name__)

VERBS = {PENDING: "pending", RUNNING: "running", ASKING: "asking", ERROR: "failed", FINISHED: "finished"}
INTERRUPTED = "Interrupted: its service stopped while the job ran. Restart the job to run it again."
RESUMED = "Resumed after its service restarted"
KILLED = "Killed"
# A running job whose heartbeat is older than this many heartbeat periods has lost its runner.
STALE_PERIODS = 5
LIST_LIMIT = 10_000


class JobQueue:
    def __init__(self, *, service: str, number: int, sessions: SessionFactory, bus: EventBus, data_dir: Path,
                 workers: int = 2, poll_seconds: float = 1.0, heartbeat_seconds: float = 2.0) -> None:
        self.service = service
        self.number = number
        self.kinds: dict[str, JobKind] = {}
        self._sessions = sessions
        self._bus = bus
        self._root = data_dir / "jobs" / service
        self._workers = max(1, workers)
        self._poll = poll_seconds
        self._heartbeat = heartbeat_seconds
        self._runner_id = uuid.uuid4().hex
        self._running: dict[int, asyncio.Task] = {}
        self._killed: set[int] = set()
        self._background: set[asyncio.Task] = set()
        self._wake: asyncio.Event | None = None
        self._loop_task: asyncio.Task | None = None
        self._stopping = False

    # ---- ids and files -------------------------------------------------------------------

    def public_id(self, local_id: int) -> int:
        return public_id(local_id, self.number)

    def local_id(self, job_id: int) -> int:
        local, number = split_id(job_id)
        if number != self.number or local <= 0:
            raise NotFound()
        return local

    def job_dir(self, local_id: int) -> Path:
        return self._root / str(local_id)

    def work_dir(self, local_id: int) -> Path:
        path = self.job_dir(local_id) / "work"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def output_dir(self, local_id: int) -> Path:
        return self.job_dir(local_id) / "output"

    def log_path(self, local_id: int) -> Path:
        return self.job_dir(local_id) / "job.log"

    # ---- submission ----------------------------------------------------------------------

    async def submit(self, session: AsyncSession, *, type: str, owner_id: int, params: dict,
                     project_id: int | None = None) -> int:
        """Add a pending job in the caller's transaction; runners start it once that commits."""
        if type not in self.kinds:
            raise ValueError(f"{self.service} has no job kind {type!r}")
        row = JobRow(type=type, owner_id=owner_id, params=params, project_id=project_id,
                     progress_msg="Waiting for a slot")
        session.add(row)
        await session.flush()
        self._emit(session, row)
        sa.event.listen(session.sync_session, "after_commit", lambda _s: self.wake(), once=True)
        return self.public_id(row.id)

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _emit(self, session: AsyncSession, row: JobRow, *, deleted: bool = False) -> None:
        verb = "deleted" if deleted else VERBS[row.state]
        self._bus.emit(session, f"copepod.{self.service}.job.{verb}", events_pb2.JobEvent(
            job_id=self.public_id(row.id), type=row.type, owner_id=row.owner_id,
            state="" if deleted else row.state, progress_pct=row.progress_pct, progress_msg=row.progress_msg,
            project_id=row.project_id or 0))

    # ---- what callers ask (owner or administrator) ---------------------------------------

    async def _owned(self, session: AsyncSession, caller: Principal, job_id: int) -> JobRow:
        row = await session.get(JobRow, self.local_id(job_id))
        if row is None:
            raise NotFound()
        if caller.service is None and not caller.is_admin and row.owner_id != caller.user_id:
            raise PermissionDenied()
        return row

    async def get(self, *, caller: Principal, job_id: int) -> JobRow:
        if caller.service is None:
            caller.require_user()
        async with self._sessions.session() as s:
            return await self._owned(s, caller, job_id)

    async def list(self, *, caller: Principal, for_admin: bool, job_type: str = "",
                   job_state: str = "") -> list[JobRow]:
        if caller.service is None:
            caller.require_user()
            if for_admin:
                caller.require_admin()
        stmt = select(JobRow)
        if not for_admin:
            stmt = stmt.where(JobRow.owner_id == caller.user_id)
        if job_type:
            stmt = stmt.where(JobRow.type == job_type)
        if job_state:
            stmt = stmt.where(JobRow.state == job_state)
        async with self._sessions.session() as s:
            return list((await s.exec(stmt.order_by(JobRow.id.desc()).limit(LIST_LIMIT))).all())

    async def answer(self, *, caller: Principal, job_id: int, reply: dict) -> None:
        if not isinstance(reply, dict):
            raise InvalidArgument("The reply must be a JSON object.")
        async with self._sessions.transaction() as s:
            row = await self._owned(s, caller, job_id)
            if row.state != ASKING:
                raise FailedPrecondition("This job is not waiting for an answer.")
            self._set(row, state=PENDING, reply=reply, question={}, progress_msg="Proceeding")
            self._emit(s, row)
        self.wake()

    async def restart(self, *, caller: Principal, job_id: int) -> None:
        async with self._sessions.transaction() as s:
            row = await self._owned(s, caller, job_id)
            if row.state != ERROR:
                raise FailedPrecondition("Only a job in error can be restarted.")
            # The failed run was compensated: what it kept in ``inside`` is void.
            self._set(row, state=PENDING, errors=[], result={}, inside={}, progress_pct=0,
                      progress_msg="Restarting")
            self._emit(s, row)
        self.wake()

    async def delete(self, *, caller: Principal, job_id: int) -> None:
        """A live job (P, R, A) is killed (state E, compensated); a finished one (F, E) is erased
        with its files."""
        async with self._sessions.transaction() as s:
            row = await self._owned(s, caller, job_id)
            if row.state in (FINISHED, ERROR):
                await s.delete(row)
                self._emit(s, row, deleted=True)
                erase, kill = row.id, None
            else:
                was = row.state
                self._set(row, state=ERROR, errors=[KILLED], progress_msg=KILLED, runner=None)
                self._emit(s, row)
                erase, kill = None, (row, was)
        if erase is not None:
            shutil.rmtree(self.job_dir(erase), ignore_errors=True)
            return
        row, was = kill
        task = self._running.get(row.id)
        if task is not None:
            self._killed.add(row.id)
            task.cancel()  # its run compensates as it unwinds
        elif was != RUNNING:
            self._spawn(self._compensate(row))
        # else: another replica runs it; its heartbeat sees the kill and cancels the run.

    # ---- what runs report ----------------------------------------------------------------

    async def report_progress(self, local_id: int, *, pct: int, msg: str) -> None:
        async with self._sessions.transaction() as s:
            done = await s.execute(sa.update(JobRow).where(
                JobRow.id == local_id, JobRow.state == RUNNING, JobRow.runner == self._runner_id,
            ).values(progress_pct=pct, progress_msg=msg[:1024], updated_on=utcnow(), heartbeat_at=utcnow()))
        if done.rowcount != 1:
            raise JobCancelled()

    async def save_inside(self, local_id: int, inside: dict) -> None:
        async with self._sessions.transaction() as s:
            done = await s.execute(sa.update(JobRow).where(
                JobRow.id == local_id, JobRow.state == RUNNING, JobRow.runner == self._runner_id,
            ).values(inside=inside, updated_on=utcnow()))
        if done.rowcount != 1:
            raise JobCancelled()

    # ---- runners -------------------------------------------------------------------------

    async def start(self) -> None:
        self._wake = asyncio.Event()
        self._stopping = False
        self._loop_task = asyncio.create_task(self._loop(), name=f"{self.service}-jobs")

    async def stop(self, grace: float = 5.0) -> None:
        """Stop taking jobs; interrupt running ones as a crash would (resumable ones run again at
        the next start, others fail with a message), after compensating them."""
        self._stopping = True
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
        if self._background:
            await asyncio.wait(list(self._background), timeout=grace)

    async def _loop(self) -> None:
        assert self._wake is not None
        await self._recover_stale()
        next_beat = asyncio.get_running_loop().time() + self._heartbeat
        while True:
            try:
                while len(self._running) < self._workers:
                    row = await self._claim()
                    if row is None:
                        break
                    self._start_run(row)
                now = asyncio.get_running_loop().time()
                if now >= next_beat:
                    next_beat = now + self._heartbeat
                    await self._beat()
                    await self._recover_stale()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=min(self._poll, self._heartbeat))
                except TimeoutError:
                    pass
                self._wake.clear()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be briefly unreachable: keep the runner alive
                log.exception("%s job runner", self.service)
                await asyncio.sleep(self._poll)

    async def _claim(self) -> JobRow | None:
        async with self._sessions.transaction() as s:
            ids = (await s.exec(select(JobRow.id).where(JobRow.state == PENDING)
                                .order_by(JobRow.id).limit(self._workers * 2))).all()
            for local_id in ids:
                now = utcnow()
                taken = await s.execute(sa.update(JobRow).where(JobRow.id == local_id, JobRow.state == PENDING)
                                        .values(state=RUNNING, runner=self._runner_id, heartbeat_at=now,
                                                updated_on=now))
                if taken.rowcount == 1:
                    row = await s.get(JobRow, local_id)
                    await s.refresh(row)
                    self._emit(s, row)
                    return row
        return None

    def _start_run(self, row: JobRow) -> None:
        task = asyncio.create_task(self._run(row), name=f"{self.service}-job-{row.id}")
        self._running[row.id] = task

        def done(_t: asyncio.Task, local_id: int = row.id) -> None:
            self._running.pop(local_id, None)
            self._killed.discard(local_id)
            self.wake()

        task.add_done_callback(done)

    def _job_logger(self, local_id: int) -> tuple[logging.Logger, logging.Handler]:
        path = self.log_path(local_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger = logging.getLogger(f"copepod.jobs.{self.service}.{local_id}")
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        return logger, handler

    async def _run(self, row: JobRow) -> None:
        logger, handler = self._job_logger(row.id)
        ctx = JobContext(queue=self, row=row, log=logger)
        kind = self.kinds.get(row.type)
        try:
            if kind is None:
                await self._end(ctx, state=ERROR, errors=[f"No runner for jobs of type {row.type!r}."],
                                msg="1 error(s) during run")
                return
            logger.info("run %s (%s) started", ctx.job_id, row.type)
            try:
                result = await kind.run(ctx)
            except JobQuestion as q:
                logger.info("asking: %s", q.question)
                await self._end(ctx, state=ASKING, question=q.question, msg=q.message)
            except JobFailed as failed:
                logger.info("failed: %s", failed.errors[:20])
                await self._end(ctx, state=ERROR, errors=failed.errors, result=failed.result or {},
                                msg=f"{len(failed.errors)} error(s) during run")
                await self._cleanup(kind, ctx)
            except JobCancelled:
                # Killed through another replica, or taken over after this runner went silent.
                if await self._was_killed(row.id):
                    logger.info("killed")
                    await self._cleanup(kind, ctx)
                else:
                    logger.info("taken over by another runner")
            except asyncio.CancelledError:
                if row.id in self._killed:
                    logger.info("killed")
                    await self._cleanup(kind, ctx)
                else:
                    logger.info("interrupted by a service stop")
                    await self._interrupted(kind, ctx)
            except Exception as exc:
                logger.exception("failed")
                message = str(exc) or type(exc).__name__
                await self._end(ctx, state=ERROR, errors=[message], msg=message)
                await self._cleanup(kind, ctx)
            else:
                if await self._end(ctx, state=FINISHED, result=result or {}, pct=100, msg="Done"):
                    logger.info("finished")
                elif await self._was_killed(row.id):  # killed just as it ended: undo it all the same
                    logger.info("killed as it ended")
                    await self._cleanup(kind, ctx)
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("%s job %s: could not record its end", self.service, ctx.job_id)
        finally:
            logger.removeHandler(handler)
            handler.close()

    async def _was_killed(self, local_id: int) -> bool:
        async with self._sessions.session() as s:
            row = await s.get(JobRow, local_id)
        return row is None or row.state == ERROR

    async def _end(self, ctx: JobContext, *, state: str, msg: str, errors: list[str] | None = None,
                   result: dict | None = None, question: dict | None = None, pct: int | None = None) -> bool:
        """Record how a run ended, unless the job was killed or taken over meanwhile (False)."""
        async with self._sessions.transaction() as s:
            row = await s.get(JobRow, ctx.local_id)
            if row is None or row.state != RUNNING or row.runner != self._runner_id:
                return False
            values = dict(state=state, progress_msg=msg[:1024], inside=ctx.inside, runner=None)
            if errors is not None:
                values["errors"] = errors[:MAX_ERRORS]
            if result is not None:
                values["result"] = result
            if question is not None:
                values["question"] = question
            if pct is not None:
                values["progress_pct"] = pct
            self._set(row, **values)
            self._emit(s, row)
        return True

    async def _interrupted(self, kind: JobKind, ctx: JobContext) -> None:
        """The service stops under a running job: leave it as a crash would be recovered."""
        async with self._sessions.transaction() as s:
            row = await s.get(JobRow, ctx.local_id)
            if row is None or row.state != RUNNING or row.runner != self._runner_id:
                return
            if kind.resumable:
                self._set(row, state=PENDING, runner=None, inside=ctx.inside, progress_msg=RESUMED)
            else:
                self._set(row, state=ERROR, runner=None, inside=ctx.inside, errors=[INTERRUPTED],
                          progress_msg=INTERRUPTED)
            self._emit(s, row)
        if not kind.resumable:
            await self._cleanup(kind, ctx)

    async def _cleanup(self, kind: JobKind, ctx: JobContext) -> None:
        if kind.cleanup is None:
            return
        try:
            await asyncio.shield(kind.cleanup(ctx))
            ctx.log.info("compensated")
        except Exception:
            ctx.log.exception("compensation failed")
            log.exception("%s job %s: compensation failed", self.service, ctx.job_id)

    async def _compensate(self, row: JobRow) -> None:
        kind = self.kinds.get(row.type)
        if kind is None or kind.cleanup is None:
            return
        logger, handler = self._job_logger(row.id)
        try:
            await self._cleanup(kind, JobContext(queue=self, row=row, log=logger))
        finally:
            logger.removeHandler(handler)
            handler.close()

    def _spawn(self, coro) -> None:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _beat(self) -> None:
        """Say this runner is alive; stop runs that were killed through another replica."""
        if not self._running:
            return
        mine = list(self._running)
        async with self._sessions.transaction() as s:
            await s.execute(sa.update(JobRow).where(JobRow.runner == self._runner_id, JobRow.state == RUNNING)
                            .values(heartbeat_at=utcnow()))
            alive = set((await s.exec(select(JobRow.id).where(
                JobRow.id.in_(mine), JobRow.state == RUNNING, JobRow.runner == self._runner_id))).all())
        for local_id in mine:
            if local_id not in alive and local_id in self._running:
                self._killed.add(local_id)
                self._running[local_id].cancel()

    async def _recover_stale(self) -> None:
        """Take up running jobs whose runner died: again when resumable, else fail and compensate."""
        limit = utcnow() - timedelta(seconds=self._heartbeat * STALE_PERIODS)
        async with self._sessions.session() as s:
            stale = (await s.exec(select(JobRow).where(
                JobRow.state == RUNNING, JobRow.runner != self._runner_id,
                sa.or_(JobRow.heartbeat_at.is_(None), JobRow.heartbeat_at < limit)))).all()
        for row in stale:
            kind = self.kinds.get(row.type)
            resumable = kind is not None and kind.resumable
            async with self._sessions.transaction() as s:
                values = dict(state=PENDING, runner=None, progress_msg=RESUMED) if resumable else \
                    dict(state=ERROR, runner=None, errors=[INTERRUPTED], progress_msg=INTERRUPTED)
                taken = await s.execute(sa.update(JobRow).where(
                    JobRow.id == row.id, JobRow.state == RUNNING, JobRow.runner == row.runner,
                ).values(updated_on=utcnow(), **values))
                if taken.rowcount != 1:
                    continue
                fresh = await s.get(JobRow, row.id)
                await s.refresh(fresh)
                self._emit(s, fresh)
            log.warning("%s job %s: runner lost, %s", self.service, self.public_id(row.id),
                        "resumed" if resumable else "failed")
            if not resumable:
                self._spawn(self._compensate(row))
            else:
                self.wake()

    @staticmethod
    def _set(row: JobRow, **values) -> None:
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_on = utcnow()
