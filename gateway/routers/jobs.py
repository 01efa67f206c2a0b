"""EcoTaxa's JobsApi (0.0.37) over the jobs of every service.

A job id names its service (``local id × 8 + service number``): single-job routes go straight to
that service; the list asks every service and merges."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from typing import Annotated, Any

from copepod.v1 import jobs_pb2
from fastapi import APIRouter, Body, Header, HTTPException, Path, Query
from pydantic import BaseModel, Field

from gateway.deps import CurrentUser, Services, TextOnlyBody
from gateway.errors import NOT_FOUND
from gateway.responses import JSONResponse
from gateway.schemas import INT64_MAX
from gateway.streams import download, parse_range
from services.core.config import SERVICE_NUMBERS
from services.core.jobs import split_id

router = APIRouter(tags=["jobs"])

RPC_TIMEOUT = 30
SERVICE_OF_NUMBER = {number: name for name, number in SERVICE_NUMBERS.items()}
JobId = Annotated[int, Path(description="Internal, the unique numeric id of this job.", examples=[47445],
                            ge=0, le=INT64_MAX)]


class JobModel(BaseModel):
    """All information about the Job."""

    params: dict[str, Any] = Field(default_factory=dict, description="Creation parameters.")
    result: dict[str, Any] = Field(default_factory=dict, description="Final result of the run.")
    errors: list[str] = Field(default_factory=list, description="The errors seen during last step.")
    question: dict[str, Any] = Field(default_factory=dict,
                                     description="The data provoking job move to Asking state.")
    reply: dict[str, Any] = Field(default_factory=dict,
                                  description="The data provided as a reply to the question.")
    inside: dict[str, Any] = Field(default_factory=dict, description="Internal state of the job.")
    id: int = Field(description="Job unique identifier.", examples=[47445])
    owner_id: int = Field(description="The user who created and thus owns the job. ", examples=[1])
    type: str = Field(description="The job type, e.g. import, export... ", examples=["FileImport"])
    state: str | None = Field(None, description="What the job is doing. Could be 'P' for Pending (Waiting for an "
                                                "execution thread), 'R' for Running (Being executed inside a "
                                                "thread), 'A' for Asking (Needing user information before "
                                                "resuming), 'E' for Error (Stopped with error), 'F' for Finished "
                                                "(Done).", examples=["F"])
    step: int | None = Field(None, description="Where in the workflow the job is. ")
    progress_pct: int | None = Field(None, description="The progress percentage for UI. ", examples=[100])
    progress_msg: str | None = Field(None, description="The message for UI, short version. ", examples=["Done"])
    creation_date: datetime = Field(description="The date of creation of the Job, as text formatted according "
                                                "to the ISO 8601 standard.")
    updated_on: datetime = Field(description="Last time that anything changed in present line. ")


def _iso(ts) -> str:
    return ts.ToDatetime(tzinfo=timezone.utc).isoformat()


def job_json(job: jobs_pb2.Job) -> dict:
    return {
        "id": job.id, "owner_id": job.owner_id, "type": job.type, "state": job.state, "step": job.step,
        "progress_pct": job.progress_pct, "progress_msg": job.progress_msg,
        "creation_date": _iso(job.creation_date), "updated_on": _iso(job.updated_on),
        "params": json.loads(job.params_json or "{}"), "result": json.loads(job.result_json or "{}"),
        "errors": list(job.errors), "question": json.loads(job.question_json or "{}"),
        "reply": json.loads(job.reply_json or "{}"), "inside": json.loads(job.inside_json or "{}"),
    }


def _owner_of(svc: Services, job_id: int):
    """The JobsService stub of the service that owns this id."""
    service = SERVICE_OF_NUMBER.get(split_id(job_id)[1])
    if service is None or job_id < 8:
        raise HTTPException(404, NOT_FOUND)
    return svc.jobs(service)


@router.get("/jobs/", operation_id="list_jobs", summary="List Jobs", response_model=list[JobModel])
async def list_jobs(
    caller: CurrentUser,
    svc: Services,
    for_admin: Annotated[bool, Query(description="If FALSE return the jobs for current user, else return all "
                                                 "of them.")] = False,
    job_type: Annotated[str, Query(description="Only jobs of this type, e.g. FileImport.")] = "",
    job_status: Annotated[str, Query(description="Only jobs in this state: P, R, A, E or F.",
                                     pattern="^[PRAEF]?$")] = "",
) -> JSONResponse:
    """**Return the jobs** for current user, or all of them if admin is asked for. Newest first."""
    req = jobs_pb2.ListJobsRequest(for_admin=for_admin, job_type=job_type, job_state=job_status)
    answers = await asyncio.gather(*(svc.jobs(name).ListJobs(req, metadata=caller.metadata, timeout=RPC_TIMEOUT)
                                     for name in SERVICE_NUMBERS))
    jobs = [job for rsp in answers for job in rsp.jobs]
    jobs.sort(key=lambda j: (j.creation_date.seconds, j.creation_date.nanos, j.id), reverse=True)
    return JSONResponse([job_json(j) for j in jobs])


@router.get("/jobs/{job_id}/", operation_id="get_job", summary="Get Job", response_model=JobModel)
async def get_job(job_id: JobId, caller: CurrentUser, svc: Services) -> JSONResponse:
    """**Return the job** by its id. 🔒 The job must be accessible to current user."""
    rsp = await _owner_of(svc, job_id).GetJob(jobs_pb2.GetJobRequest(job_id=job_id), metadata=caller.metadata,
                                                timeout=RPC_TIMEOUT)
    return JSONResponse(job_json(rsp.job))


@router.post("/jobs/{job_id}/answer", operation_id="reply_job_question", summary="Reply Job Question",
             responses={200: {"content": {"application/json": {"example": None}}}}, dependencies=[TextOnlyBody])
async def reply_job_question(
    job_id: JobId, caller: CurrentUser, svc: Services,
    reply: Annotated[dict[str, Any], Body(title="Reply job question")] = {},  # noqa: B006 (read-only default)
) -> None:
    """**Send answers to last question.** The job resumes after it receives the reply. Return **NULL upon
    success.** A reply that is not a JSON object is a 422; a job not in state A is a 409."""
    await _owner_of(svc, job_id).AnswerJob(jobs_pb2.AnswerJobRequest(job_id=job_id, reply_json=json.dumps(reply)),
                                           metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return None


@router.get("/jobs/{job_id}/restart", operation_id="restart_job", summary="Restart Job",
            responses={200: {"content": {"application/json": {"example": None}}}})
async def restart_job(job_id: JobId, caller: CurrentUser, svc: Services) -> None:
    """**Restart the job related to the given id.** Return **NULL upon success.** 🔒 The job must be in
    error (E) and be accessible to current user."""
    await _owner_of(svc, job_id).RestartJob(jobs_pb2.RestartJobRequest(job_id=job_id), metadata=caller.metadata,
                                            timeout=RPC_TIMEOUT)
    return None


@router.get("/jobs/{job_id}/log", operation_id="get_job_log_file", summary="Get Job Log File",
            response_class=JSONResponse, responses={200: {"content": {"text/plain": {}}}})
async def get_job_log_file(job_id: JobId, caller: CurrentUser, svc: Services):
    """**Return the log file produced by given job.** 🔒 The job must be accessible to current user."""
    stream = _owner_of(svc, job_id).ReadJobLog(jobs_pb2.ReadJobLogRequest(job_id=job_id), metadata=caller.metadata,
                                               timeout=RPC_TIMEOUT)
    return await download(stream, wanted=None, fallback_name=f"job_{job_id}.log")


@router.get("/jobs/{job_id}/file", operation_id="get_job_file", summary="Get Job File",
            response_class=JSONResponse,
            responses={200: {"description": "Return the produced file.",
                             "content": {"application/zip": {}, "text/tab-separated-values": {}}}})
async def get_job_file(job_id: JobId, caller: CurrentUser, svc: Services,
                       range_: Annotated[str | None, Header(alias="Range")] = None):
    """**Return the file produced by given job.** Byte ranges are supported. 🔒 The job must be accessible to
    current user."""
    wanted = parse_range(range_)
    offset, length = wanted or (0, 0)
    stream = _owner_of(svc, job_id).ReadJobFile(
        jobs_pb2.ReadJobFileRequest(job_id=job_id, offset=offset, length=length), metadata=caller.metadata,
        timeout=None)
    return await download(stream, wanted=wanted)


@router.delete("/jobs/{job_id}", operation_id="erase_job", summary="Erase Job",
               responses={200: {"content": {"application/json": {"example": None}}}})
async def erase_job(job_id: JobId, caller: CurrentUser, svc: Services) -> None:
    """**Delete the job** from listings, or kill it when it is pending, running or asking (it then ends in
    state E, "Killed", and what it did is undone). Return **NULL upon success.**"""
    await _owner_of(svc, job_id).DeleteJob(jobs_pb2.DeleteJobRequest(job_id=job_id), metadata=caller.metadata,
                                           timeout=RPC_TIMEOUT)
    return None
