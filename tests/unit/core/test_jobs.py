"""The job queue against a real database (SQLite, then PostgreSQL): states, questions, failures,
kills, restarts, limits, recovery of a job whose runner died, logs and output files."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from services.core.auth import Principal
from services.core.bus import EventBus, OutboxEvent, ProcessedEvent
from services.core.errors import FailedPrecondition, NotFound, PermissionDenied
from services.core.jobs import JobContext, JobFailed, JobKind, JobQuestion, JobQueue, split_id
from services.core.jobs.queue import INTERRUPTED, KILLED, RESUMED
from services.core.jobs.store import JobRow
from tests.support.databases import table_sessions

OWNER = Principal(user_id=7, email="o@x", name="o")
STRANGER = Principal(user_id=8, email="s@x", name="s")
ADMIN = Principal(user_id=1, is_admin=True)
TABLES = [OutboxEvent.__table__, ProcessedEvent.__table__, JobRow.__table__]


@pytest.fixture
async def sessions(tmp_path, database_leg):
    factory = table_sessions(tmp_path=tmp_path, database_leg=database_leg, tables=TABLES, prefix="jobs")
    yield factory
    await factory.dispose()


class Recorder:
    """Job kinds whose behaviour a test steers; records what ran and what was undone."""

    def __init__(self) -> None:
        self.runs: list[int] = []
        self.cleaned: list[int] = []
        self.gates: dict[int, asyncio.Event] = {}
        self.started: dict[int, asyncio.Event] = {}

    def gate(self, job_id: int) -> asyncio.Event:
        return self.gates.setdefault(job_id, asyncio.Event())

    def started_event(self, job_id: int) -> asyncio.Event:
        return self.started.setdefault(job_id, asyncio.Event())

    async def cleanup(self, ctx: JobContext) -> None:
        self.cleaned.append(ctx.job_id)

    def kinds(self) -> dict[str, JobKind]:
        async def ok(ctx: JobContext):
            self.runs.append(ctx.job_id)
            ctx.log.info("adding %s", ctx.params)
            await ctx.progress(50, "Half way")
            return {"sum": sum(ctx.params["numbers"])}

        async def slow(ctx: JobContext):
            self.runs.append(ctx.job_id)
            ctx.inside["runs"] = ctx.inside.get("runs", 0) + 1
            await ctx.save_inside()
            await ctx.progress(10, "Waiting")
            self.started_event(ctx.job_id).set()
            await self.gate(ctx.job_id).wait()
            return {"runs": ctx.inside["runs"]}

        async def asks(ctx: JobContext):
            self.runs.append(ctx.job_id)
            if ctx.reply.get("taxa") != {"copepoda": 3}:
                raise JobQuestion({"missing_taxa": ["copepoda"]}, "Some taxa could not be matched")
            return {"rowcount": 1}

        async def fails(ctx: JobContext):
            raise JobFailed(["line 3: bad date", "line 4: bad depth"], result={"infos": ["a warning"]})

        async def crashes(ctx: JobContext):
            raise RuntimeError("disk on fire")

        async def writes(ctx: JobContext):
            path = ctx.output_file("export.tsv", "text/tab-separated-values")
            path.write_text("a\tb\n" + "1\t2\n" * 1000)
            return {}

        return {
            "Ok": JobKind(run=ok), "Slow": JobKind(run=slow, cleanup=self.cleanup),
            "Resumable": JobKind(run=slow, cleanup=self.cleanup, resumable=True),
            "Asks": JobKind(run=asks, cleanup=self.cleanup), "Fails": JobKind(run=fails, cleanup=self.cleanup),
            "Crashes": JobKind(run=crashes, cleanup=self.cleanup), "Writes": JobKind(run=writes),
        }


def make_queue(sessions, tmp_path: Path, recorder: Recorder, **options) -> JobQueue:
    bus = EventBus(service="projects", nats_url="nats://127.0.0.1:1", sessions=sessions)
    queue = JobQueue(service="projects", number=2, sessions=sessions, bus=bus, data_dir=tmp_path,
                     workers=options.get("workers", 2), poll_seconds=0.05,
                     heartbeat_seconds=options.get("heartbeat", 0.1))
    queue.kinds.update(recorder.kinds())
    return queue


async def submit(queue: JobQueue, sessions, type_: str, params: dict | None = None, owner=OWNER) -> int:
    async with sessions.transaction() as s:
        return await queue.submit(s, type=type_, owner_id=owner.user_id, params=params or {}, project_id=5)


async def wait_state(queue: JobQueue, job_id: int, states: str, timeout: float = 10.0) -> JobRow:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        row = await queue.get(caller=ADMIN, job_id=job_id)
        if row.state in states:
            return row
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"job {job_id} stayed in {row.state} ({row.progress_msg})")
        await asyncio.sleep(0.02)


async def subjects(sessions) -> list[str]:
    async with sessions.session() as s:
        return list((await s.exec(select(OutboxEvent.subject).order_by(OutboxEvent.seq))).all())


@pytest.fixture
async def running(sessions, tmp_path):
    recorder = Recorder()
    queue = make_queue(sessions, tmp_path, recorder)
    await queue.start()
    yield queue, recorder
    for gate in recorder.gates.values():
        gate.set()
    await queue.stop(grace=2)


async def test_a_job_runs_to_done_with_its_result_events_and_log(running, sessions):
    queue, recorder = running
    job_id = await submit(queue, sessions, "Ok", {"numbers": [1, 2, 3]})
    assert split_id(job_id)[1] == 2
    row = await wait_state(queue, job_id, "F")
    assert (row.progress_pct, row.progress_msg, row.result, row.errors) == (100, "Done", {"sum": 6}, [])
    assert await subjects(sessions) == ["copepod.projects.job.pending", "copepod.projects.job.running",
                                        "copepod.projects.job.finished"]
    log_text = queue.log_path(row.id).read_text()
    assert "adding {'numbers': [1, 2, 3]}" in log_text and "finished" in log_text


async def test_progress_is_visible_while_running_and_the_job_waits_for_its_slot(sessions, tmp_path):
    recorder = Recorder()
    queue = make_queue(sessions, tmp_path, recorder, workers=2)
    await queue.start()
    try:
        ids = [await submit(queue, sessions, "Slow") for _ in range(4)]
        for job_id in ids[:2]:
            await asyncio.wait_for(recorder.started_event(job_id).wait(), 10)
        await asyncio.sleep(0.3)
        states = [(await queue.get(caller=OWNER, job_id=j)).state for j in ids]
        assert states == ["R", "R", "P", "P"], "two workers: two jobs run, two wait"
        first = await queue.get(caller=OWNER, job_id=ids[0])
        assert (first.progress_pct, first.progress_msg) == (10, "Waiting")
        assert (await queue.get(caller=OWNER, job_id=ids[2])).progress_msg == "Waiting for a slot"
        recorder.gate(ids[0]).set()
        await asyncio.wait_for(recorder.started_event(ids[2]).wait(), 10)
        for job_id in ids:
            recorder.gate(job_id).set()
        for job_id in ids:
            assert (await wait_state(queue, job_id, "F")).result == {"runs": 1}
    finally:
        await queue.stop(grace=2)


async def test_a_question_waits_for_its_answer_then_the_job_runs_again(running, sessions):
    queue, recorder = running
    job_id = await submit(queue, sessions, "Asks")
    row = await wait_state(queue, job_id, "A")
    assert row.question == {"missing_taxa": ["copepoda"]}
    assert row.progress_msg == "Some taxa could not be matched"
    with pytest.raises(PermissionDenied):
        await queue.answer(caller=STRANGER, job_id=job_id, reply={"taxa": {"copepoda": 3}})
    await queue.answer(caller=OWNER, job_id=job_id, reply={"taxa": {"copepoda": 2}})  # still wrong: asks again
    assert (await wait_state(queue, job_id, "A")).reply == {"taxa": {"copepoda": 2}}
    await queue.answer(caller=OWNER, job_id=job_id, reply={"taxa": {"copepoda": 3}})
    row = await wait_state(queue, job_id, "F")
    assert row.result == {"rowcount": 1} and row.question == {}
    assert recorder.runs.count(job_id) == 3
    with pytest.raises(FailedPrecondition):
        await queue.answer(caller=OWNER, job_id=job_id, reply={})


async def test_failures_keep_their_errors_and_are_compensated(running, sessions):
    queue, recorder = running
    failed = await submit(queue, sessions, "Fails")
    crashed = await submit(queue, sessions, "Crashes")
    row = await wait_state(queue, failed, "E")
    assert row.errors == ["line 3: bad date", "line 4: bad depth"]
    assert row.progress_msg == "2 error(s) during run" and row.result == {"infos": ["a warning"]}
    row = await wait_state(queue, crashed, "E")
    assert (row.errors, row.progress_msg) == (["disk on fire"], "disk on fire")
    await asyncio.sleep(0.1)
    assert set(recorder.cleaned) == {failed, crashed}
    assert "copepod.projects.job.failed" in await subjects(sessions)


async def test_restart_runs_a_failed_job_again(running, sessions):
    queue, recorder = running
    job_id = await submit(queue, sessions, "Slow")
    await asyncio.wait_for(recorder.started_event(job_id).wait(), 10)
    with pytest.raises(FailedPrecondition):
        await queue.restart(caller=OWNER, job_id=job_id)  # running: not restartable
    await queue.delete(caller=OWNER, job_id=job_id)  # killed → E
    await wait_state(queue, job_id, "E")
    recorder.started.pop(job_id)
    await queue.restart(caller=OWNER, job_id=job_id)
    await asyncio.wait_for(recorder.started_event(job_id).wait(), 10)
    recorder.gate(job_id).set()
    row = await wait_state(queue, job_id, "F")
    # The killed run was compensated, so the restart starts over with an empty ``inside``.
    assert row.result == {"runs": 1} and row.errors == []


async def test_deleting_a_running_job_kills_and_compensates_it_then_erases_it(running, sessions):
    queue, recorder = running
    job_id = await submit(queue, sessions, "Slow")
    await asyncio.wait_for(recorder.started_event(job_id).wait(), 10)
    await queue.delete(caller=OWNER, job_id=job_id)
    row = await wait_state(queue, job_id, "E")
    assert (row.progress_msg, row.errors) == (KILLED, [KILLED])
    for _ in range(100):
        if job_id in recorder.cleaned:
            break
        await asyncio.sleep(0.02)
    assert recorder.cleaned == [job_id]
    job_dir = queue.job_dir(row.id)
    assert job_dir.exists()
    await queue.delete(caller=OWNER, job_id=job_id)  # finished or failed: erased
    with pytest.raises(NotFound):
        await queue.get(caller=OWNER, job_id=job_id)
    assert not job_dir.exists()
    assert (await subjects(sessions))[-1] == "copepod.projects.job.deleted"


async def test_a_pending_or_asking_job_killed_is_compensated_without_running(sessions, tmp_path):
    recorder = Recorder()
    queue = make_queue(sessions, tmp_path, recorder)  # not started: jobs stay pending
    queue._wake = asyncio.Event()
    job_id = await submit(queue, sessions, "Slow")
    await queue.delete(caller=OWNER, job_id=job_id)
    await asyncio.sleep(0.1)
    assert recorder.cleaned == [job_id] and recorder.runs == []
    assert (await queue.get(caller=OWNER, job_id=job_id)).state == "E"


async def test_only_the_owner_or_an_administrator_sees_a_job(running, sessions):
    queue, _ = running
    mine = await submit(queue, sessions, "Ok", {"numbers": [1]})
    theirs = await submit(queue, sessions, "Ok", {"numbers": [2]}, owner=STRANGER)
    with pytest.raises(PermissionDenied):
        await queue.get(caller=STRANGER, job_id=mine)
    assert (await queue.get(caller=ADMIN, job_id=mine)).owner_id == OWNER.user_id
    for unknown in (mine + 8 * 1000, mine + 1, 0):  # no such row; another service's id; nothing
        with pytest.raises(NotFound):
            await queue.get(caller=OWNER, job_id=unknown)
    assert [queue.public_id(r.id) for r in await queue.list(caller=OWNER, for_admin=False)] == [mine]
    everyone = await queue.list(caller=ADMIN, for_admin=True)
    assert {queue.public_id(r.id) for r in everyone} >= {mine, theirs}
    with pytest.raises(PermissionDenied):
        await queue.list(caller=OWNER, for_admin=True)
    await wait_state(queue, mine, "F")
    assert await queue.list(caller=OWNER, for_admin=False, job_state="P") == []
    assert len(await queue.list(caller=OWNER, for_admin=False, job_type="Ok", job_state="F")) == 1


async def test_the_output_file_is_kept_for_download(running, sessions):
    queue, _ = running
    job_id = await submit(queue, sessions, "Writes")
    row = await wait_state(queue, job_id, "F")
    assert row.inside["output"] == {"name": "export.tsv", "media_type": "text/tab-separated-values"}
    assert (queue.output_dir(row.id) / "export.tsv").read_text().startswith("a\tb\n1\t2\n")


async def _orphan_running_job(sessions, tmp_path, recorder: Recorder, kind: str) -> tuple[int, int]:
    """A job left in R by a runner that died without a word (its heartbeat stops)."""
    dead = make_queue(sessions, tmp_path, recorder, heartbeat=60)
    await dead.start()
    job_id = await submit(dead, sessions, kind)
    await asyncio.wait_for(recorder.started_event(job_id).wait(), 10)
    # The process vanishes: no stop(), no heartbeat, no state change. Its run stays blocked; were
    # it to wake up later, it could no longer write to the job (another runner holds it).
    dead._loop_task.cancel()
    await asyncio.sleep(0.05)
    async with sessions.session() as s:
        row = (await s.exec(select(JobRow))).one()
    assert row.state == "R"
    return job_id, row.id


async def test_a_resumable_job_whose_runner_died_is_taken_up_again(sessions, tmp_path):
    recorder = Recorder()
    job_id, _ = await _orphan_running_job(sessions, tmp_path, recorder, "Resumable")
    recorder.started.pop(job_id)
    successor = make_queue(sessions, tmp_path, recorder, heartbeat=0.1)
    await successor.start()
    try:
        await asyncio.wait_for(recorder.started_event(job_id).wait(), 10)
        assert (await successor.get(caller=OWNER, job_id=job_id)).state == "R"
        recorder.gate(job_id).set()
        row = await wait_state(successor, job_id, "F")
        assert row.result == {"runs": 2}, "the second run saw what the first one saved"
        assert "copepod.projects.job.pending" in (await subjects(sessions))[2:]
    finally:
        await successor.stop(grace=2)


async def test_a_job_whose_runner_died_fails_with_a_message_when_it_cannot_resume(sessions, tmp_path):
    recorder = Recorder()
    job_id, _ = await _orphan_running_job(sessions, tmp_path, recorder, "Slow")
    successor = make_queue(sessions, tmp_path, recorder, heartbeat=0.1)
    await successor.start()
    try:
        row = await wait_state(successor, job_id, "E")
        assert (row.progress_msg, row.errors) == (INTERRUPTED, [INTERRUPTED])
        for _ in range(100):
            if recorder.cleaned:
                break
            await asyncio.sleep(0.02)
        assert recorder.cleaned == [job_id]
    finally:
        await successor.stop(grace=2)


async def test_a_clean_stop_leaves_no_job_running(sessions, tmp_path):
    recorder = Recorder()
    queue = make_queue(sessions, tmp_path, recorder)
    await queue.start()
    resumable = await submit(queue, sessions, "Resumable")
    plain = await submit(queue, sessions, "Slow")
    for job_id in (resumable, plain):
        await asyncio.wait_for(recorder.started_event(job_id).wait(), 10)
    await queue.stop(grace=2)
    async with sessions.session() as s:
        rows = (await s.exec(sa.select(JobRow.id, JobRow.state, JobRow.progress_msg))).all()
    states = {local_id: (state, msg) for local_id, state, msg in rows}
    assert states[queue.local_id(resumable)] == ("P", RESUMED)
    assert states[queue.local_id(plain)] == ("E", INTERRUPTED)
    assert recorder.cleaned == [plain]
