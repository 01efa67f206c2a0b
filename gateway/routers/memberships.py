"""Who works on a project (Copepod, after Encord's project users and groups): members with
their roles, and groups holding a role. Every call first reads the project as the caller, so
an unknown or unreadable project answers 404/403 before any membership is touched."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from copepod.v1 import projects_pb2, users_pb2
from gateway.deps import Caller, CurrentUser, Services, TextOnlyBody

INT64_MAX = 2**63 - 1
LIST_MAX = 1000

router = APIRouter(tags=["memberships"], dependencies=[TextOnlyBody])

ProjectId = Annotated[int, Path(description="Internal, numeric id of the project.", ge=1, le=INT64_MAX)]
Role = Annotated[int, Field(ge=0, le=5, description="ProjectUserRole: ADMIN=0, ANNOTATOR=1, REVIEWER=2, "
                                                    "ANNOTATOR_REVIEWER=3, TEAM_MANAGER=4, VIEWER=5.")]


class ProjectUsersReq(BaseModel):
    user_emails: list[Annotated[str, Field(max_length=255)]] = Field(max_length=LIST_MAX)
    user_role: Role


class ProjectUserModel(BaseModel):
    user_email: str
    user_role: int
    project_hash: str


class ProjectGroupsReq(BaseModel):
    group_hash_list: list[uuid.UUID] = Field(max_length=LIST_MAX)
    user_role: Role


class ProjectGroupModel(BaseModel):
    group_hash: uuid.UUID
    name: str
    description: str
    created_at: datetime | None
    user_role: int


async def _project_hash(svc: Services, caller: Caller, project_id: int) -> str:
    rsp = await svc.projects.GetProject(projects_pb2.GetProjectRequest(project_id=project_id),
                                        metadata=caller.metadata)
    return rsp.project.project_hash


def _created_at(g: users_pb2.ProjectGroup) -> datetime | None:
    if not g.HasField("created_at"):
        return None
    return g.created_at.ToDatetime(tzinfo=timezone.utc).replace(tzinfo=None)


def _user(u: users_pb2.ProjectUser) -> ProjectUserModel:
    return ProjectUserModel(user_email=u.user_email, user_role=u.user_role, project_hash=u.project_hash)


@router.post("/projects/{project_id}/users", operation_id="add_project_users", response_model=list[ProjectUserModel],
             summary="Add users to a project with a role (Copepod). Every e-mail must have an account; existing "
                     "members keep their role. Application administrators, project ADMINs and TEAM_MANAGERs "
                     "(who cannot grant ADMIN or TEAM_MANAGER).")
async def add_project_users(project_id: ProjectId, body: ProjectUsersReq, caller: CurrentUser,
                            svc: Services) -> list[ProjectUserModel]:
    project_hash = await _project_hash(svc, caller, project_id)
    rsp = await svc.users.AddProjectUsers(users_pb2.AddProjectUsersRequest(
        project_id=project_id, user_emails=body.user_emails, user_role=body.user_role, project_hash=project_hash),
        metadata=caller.metadata)
    return [_user(u) for u in rsp.users]


@router.get("/projects/{project_id}/users", operation_id="list_project_users", response_model=list[ProjectUserModel],
            summary="List a project's members and their roles (Copepod): members and administrators.")
async def list_project_users(project_id: ProjectId, caller: CurrentUser, svc: Services) -> list[ProjectUserModel]:
    project_hash = await _project_hash(svc, caller, project_id)
    rsp = await svc.users.ListProjectUsers(users_pb2.ListProjectUsersRequest(
        project_id=project_id, project_hash=project_hash), metadata=caller.metadata)
    return [_user(u) for u in rsp.users]


@router.get("/projects/{project_id}/groups", operation_id="list_project_groups", response_model=list[ProjectGroupModel],
            summary="List the groups holding a role on a project (Copepod).")
async def list_project_groups(project_id: ProjectId, caller: CurrentUser, svc: Services) -> list[ProjectGroupModel]:
    await _project_hash(svc, caller, project_id)
    rsp = await svc.users.ListProjectGroups(users_pb2.ListProjectGroupsRequest(project_id=project_id),
                                            metadata=caller.metadata)
    return [ProjectGroupModel(group_hash=uuid.UUID(g.group_hash), name=g.name, description=g.description,
                              created_at=_created_at(g), user_role=g.user_role)
            for g in rsp.groups]


@router.post("/projects/{project_id}/groups", operation_id="add_project_groups",
             summary="Give groups a role on a project (Copepod). Groups already there keep their role.")
async def add_project_groups(project_id: ProjectId, body: ProjectGroupsReq, caller: CurrentUser,
                             svc: Services) -> None:
    await _project_hash(svc, caller, project_id)
    await svc.users.AddProjectGroups(users_pb2.AddProjectGroupsRequest(
        project_id=project_id, group_hashes=[str(h) for h in body.group_hash_list], user_role=body.user_role),
        metadata=caller.metadata)


@router.delete("/projects/{project_id}/groups", operation_id="remove_project_groups",
               summary="Take groups off a project (Copepod).")
async def remove_project_groups(project_id: ProjectId, caller: CurrentUser, svc: Services,
                                group_hash_list: Annotated[list[uuid.UUID], Query(max_length=LIST_MAX)]) -> None:
    await _project_hash(svc, caller, project_id)
    await svc.users.RemoveProjectGroups(users_pb2.RemoveProjectGroupsRequest(
        project_id=project_id, group_hashes=[str(h) for h in group_hash_list]), metadata=caller.metadata)
