"""``JobsService``, served by every service for the jobs it owns: protobuf <-> queue calls."""

from __future__ import annotations

import asyncio
import json
from datetime import timezone
from pathlib import Path

from google.protobuf.timestamp_pb2 import Timestamp

from copepod.v1 import common_pb2, jobs_pb2, jobs_pb2_grpc
from services.core import ranges
from services.core.auth import principal
from services.core.errors import InvalidArgument, NotFound, RangeNotSatisfiable
from services.core.jobs.queue import JobQueue
from services.core.jobs.store import JobRow

CHUNK = 256 * 1024


def _timestamp(value) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    return ts


def job_to_pb(queue: JobQueue, row: JobRow) -> jobs_pb2.Job:
    return jobs_pb2.Job(
        id=queue.public_id(row.id), owner_id=row.owner_id, type=row.type, state=row.state, step=row.step,
        progress_pct=row.progress_pct, progress_msg=row.progress_msg,
        creation_date=_timestamp(row.creation_date), updated_on=_timestamp(row.updated_on),
        params_json=json.dumps(row.params), result_json=json.dumps(row.result), errors=row.errors,
        question_json=json.dumps(row.question), reply_json=json.dumps(row.reply),
        inside_json=json.dumps({k: v for k, v in row.inside.items() if k != "output"}),
    )


def _read(path: Path, offset: int, length: int):
    """Chunks of a byte range of a file (blocking; iterated in a worker thread)."""
    with path.open("rb") as f:
        f.seek(offset)
        left = length
        while left > 0:
            data = f.read(min(CHUNK, left))
            if not data:
                return
            left -= len(data)
            yield data


async def _stream(path: Path, *, name: str, media_type: str, offset: int = 0, length: int = 0):
    """The file as FileChunk messages; the first names it (alone when the file is empty)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise NotFound("This job has no such file.")
    # An empty file is answered empty, unless a range inside it is asked for.
    span = (0, -1) if size == 0 and offset <= 0 and length == 0 else ranges.resolve(offset, length, size)
    if span is None:
        raise RangeNotSatisfiable()
    chunks = _read(path, span[0], span[1] - span[0] + 1)
    msg = common_pb2.FileChunk(name=name, media_type=media_type, total_size=size)
    while (data := await asyncio.to_thread(next, chunks, None)) is not None:
        msg.data = data
        yield msg
        msg = common_pb2.FileChunk()
    if msg.name:
        yield msg


class JobsServicer(jobs_pb2_grpc.JobsServiceServicer):
    def __init__(self, queue: JobQueue) -> None:
        self.queue = queue

    async def ListJobs(self, request, context):
        rows = await self.queue.list(caller=principal(), for_admin=request.for_admin, job_type=request.job_type,
                                     job_state=request.job_state)
        return jobs_pb2.ListJobsResponse(jobs=[job_to_pb(self.queue, r) for r in rows])

    async def GetJob(self, request, context):
        row = await self.queue.get(caller=principal(), job_id=request.job_id)
        return jobs_pb2.GetJobResponse(job=job_to_pb(self.queue, row))

    async def AnswerJob(self, request, context):
        try:
            reply = json.loads(request.reply_json or "{}")
        except ValueError:
            raise InvalidArgument("The reply must be a JSON object.")
        await self.queue.answer(caller=principal(), job_id=request.job_id, reply=reply)
        return jobs_pb2.AnswerJobResponse()

    async def RestartJob(self, request, context):
        await self.queue.restart(caller=principal(), job_id=request.job_id)
        return jobs_pb2.RestartJobResponse()

    async def DeleteJob(self, request, context):
        await self.queue.delete(caller=principal(), job_id=request.job_id)
        return jobs_pb2.DeleteJobResponse()

    async def ReadJobLog(self, request, context):
        row = await self.queue.get(caller=principal(), job_id=request.job_id)
        async for chunk in _stream(self.queue.log_path(row.id), name=f"job_{request.job_id}.log",
                                   media_type="text/plain; charset=utf-8"):
            yield chunk

    async def ReadJobFile(self, request, context):
        row = await self.queue.get(caller=principal(), job_id=request.job_id)
        output = row.inside.get("output")
        if not output:
            raise NotFound("This job produced no file.")
        async for chunk in _stream(self.queue.output_dir(row.id) / output["name"], name=output["name"],
                                   media_type=output["media_type"], offset=request.offset, length=request.length):
            yield chunk
