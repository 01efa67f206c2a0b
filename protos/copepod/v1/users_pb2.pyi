import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from copepod.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProjectRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ADMIN: _ClassVar[ProjectRole]
    ANNOTATOR: _ClassVar[ProjectRole]
    REVIEWER: _ClassVar[ProjectRole]
    ANNOTATOR_REVIEWER: _ClassVar[ProjectRole]
    TEAM_MANAGER: _ClassVar[ProjectRole]
    VIEWER: _ClassVar[ProjectRole]
ADMIN: ProjectRole
ANNOTATOR: ProjectRole
REVIEWER: ProjectRole
ANNOTATOR_REVIEWER: ProjectRole
TEAM_MANAGER: ProjectRole
VIEWER: ProjectRole

class User(_message.Message):
    __slots__ = ("id", "email", "name", "organisation", "status", "country", "orcid", "usercreationreason", "usercreationdate", "status_date", "status_admin_comment", "is_admin", "can_do")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ORCID_FIELD_NUMBER: _ClassVar[int]
    USERCREATIONREASON_FIELD_NUMBER: _ClassVar[int]
    USERCREATIONDATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_ADMIN_COMMENT_FIELD_NUMBER: _ClassVar[int]
    IS_ADMIN_FIELD_NUMBER: _ClassVar[int]
    CAN_DO_FIELD_NUMBER: _ClassVar[int]
    id: int
    email: str
    name: str
    organisation: str
    status: int
    country: str
    orcid: str
    usercreationreason: str
    usercreationdate: _timestamp_pb2.Timestamp
    status_date: _timestamp_pb2.Timestamp
    status_admin_comment: str
    is_admin: bool
    can_do: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, id: _Optional[int] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., organisation: _Optional[str] = ..., status: _Optional[int] = ..., country: _Optional[str] = ..., orcid: _Optional[str] = ..., usercreationreason: _Optional[str] = ..., usercreationdate: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status_admin_comment: _Optional[str] = ..., is_admin: _Optional[bool] = ..., can_do: _Optional[_Iterable[int]] = ...) -> None: ...

class LoginRequest(_message.Message):
    __slots__ = ("username", "password", "client_address")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    username: str
    password: str
    client_address: str
    def __init__(self, username: _Optional[str] = ..., password: _Optional[str] = ..., client_address: _Optional[str] = ...) -> None: ...

class LoginResponse(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class AuthenticateRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AuthenticateResponse(_message.Message):
    __slots__ = ("user_id", "email", "name", "is_admin", "active")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    IS_ADMIN_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    user_id: int
    email: str
    name: str
    is_admin: bool
    active: bool
    def __init__(self, user_id: _Optional[int] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., is_admin: _Optional[bool] = ..., active: _Optional[bool] = ...) -> None: ...

class CreateUserRequest(_message.Message):
    __slots__ = ("email", "password", "name", "organisation", "country", "orcid", "usercreationreason", "is_admin", "status")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ORCID_FIELD_NUMBER: _ClassVar[int]
    USERCREATIONREASON_FIELD_NUMBER: _ClassVar[int]
    IS_ADMIN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    email: str
    password: str
    name: str
    organisation: str
    country: str
    orcid: str
    usercreationreason: str
    is_admin: bool
    status: int
    def __init__(self, email: _Optional[str] = ..., password: _Optional[str] = ..., name: _Optional[str] = ..., organisation: _Optional[str] = ..., country: _Optional[str] = ..., orcid: _Optional[str] = ..., usercreationreason: _Optional[str] = ..., is_admin: _Optional[bool] = ..., status: _Optional[int] = ...) -> None: ...

class CreateUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class GetUserRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: int
    def __init__(self, user_id: _Optional[int] = ...) -> None: ...

class GetUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class ListUsersRequest(_message.Message):
    __slots__ = ("ids", "emails")
    IDS_FIELD_NUMBER: _ClassVar[int]
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[int]
    emails: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ids: _Optional[_Iterable[int]] = ..., emails: _Optional[_Iterable[str]] = ...) -> None: ...

class ListUsersResponse(_message.Message):
    __slots__ = ("users",)
    USERS_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[User]
    def __init__(self, users: _Optional[_Iterable[_Union[User, _Mapping]]] = ...) -> None: ...

class UserRef(_message.Message):
    __slots__ = ("name", "email")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    name: str
    email: str
    def __init__(self, name: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class ResolveUsersRequest(_message.Message):
    __slots__ = ("refs",)
    REFS_FIELD_NUMBER: _ClassVar[int]
    refs: _containers.RepeatedCompositeFieldContainer[UserRef]
    def __init__(self, refs: _Optional[_Iterable[_Union[UserRef, _Mapping]]] = ...) -> None: ...

class ResolveUsersResponse(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, ids: _Optional[_Iterable[int]] = ...) -> None: ...

class SearchUsersRequest(_message.Message):
    __slots__ = ("by_name",)
    BY_NAME_FIELD_NUMBER: _ClassVar[int]
    by_name: str
    def __init__(self, by_name: _Optional[str] = ...) -> None: ...

class SearchUsersResponse(_message.Message):
    __slots__ = ("users",)
    USERS_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[_common_pb2.MinUser]
    def __init__(self, users: _Optional[_Iterable[_Union[_common_pb2.MinUser, _Mapping]]] = ...) -> None: ...

class UpdateUserRequest(_message.Message):
    __slots__ = ("user_id", "user", "password", "present_fields")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    PRESENT_FIELDS_FIELD_NUMBER: _ClassVar[int]
    user_id: int
    user: User
    password: str
    present_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_id: _Optional[int] = ..., user: _Optional[_Union[User, _Mapping]] = ..., password: _Optional[str] = ..., present_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateUserResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetUserActiveRequest(_message.Message):
    __slots__ = ("user_id", "active", "reason")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    user_id: int
    active: bool
    reason: str
    def __init__(self, user_id: _Optional[int] = ..., active: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class SetUserActiveResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ApiKey(_message.Message):
    __slots__ = ("key_id", "name", "created_at", "last_used_at", "revoked")
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_USED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    name: str
    created_at: _timestamp_pb2.Timestamp
    last_used_at: _timestamp_pb2.Timestamp
    revoked: bool
    def __init__(self, key_id: _Optional[str] = ..., name: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_used_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked: _Optional[bool] = ...) -> None: ...

class CreateApiKeyRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class CreateApiKeyResponse(_message.Message):
    __slots__ = ("key", "token")
    KEY_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    key: ApiKey
    token: str
    def __init__(self, key: _Optional[_Union[ApiKey, _Mapping]] = ..., token: _Optional[str] = ...) -> None: ...

class ListApiKeysRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListApiKeysResponse(_message.Message):
    __slots__ = ("keys",)
    KEYS_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[ApiKey]
    def __init__(self, keys: _Optional[_Iterable[_Union[ApiKey, _Mapping]]] = ...) -> None: ...

class RevokeApiKeyRequest(_message.Message):
    __slots__ = ("key_id",)
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    def __init__(self, key_id: _Optional[str] = ...) -> None: ...

class RevokeApiKeyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ProjectMember(_message.Message):
    __slots__ = ("user", "role", "contact")
    USER_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    user: _common_pb2.MinUser
    role: ProjectRole
    contact: bool
    def __init__(self, user: _Optional[_Union[_common_pb2.MinUser, _Mapping]] = ..., role: _Optional[_Union[ProjectRole, str]] = ..., contact: _Optional[bool] = ...) -> None: ...

class ProjectMemberships(_message.Message):
    __slots__ = ("project_id", "members", "has_user_role", "user_role")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    HAS_USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    members: _containers.RepeatedCompositeFieldContainer[ProjectMember]
    has_user_role: bool
    user_role: ProjectRole
    def __init__(self, project_id: _Optional[int] = ..., members: _Optional[_Iterable[_Union[ProjectMember, _Mapping]]] = ..., has_user_role: _Optional[bool] = ..., user_role: _Optional[_Union[ProjectRole, str]] = ...) -> None: ...

class GetProjectMembershipsRequest(_message.Message):
    __slots__ = ("project_ids", "user_id")
    PROJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    project_ids: _containers.RepeatedScalarFieldContainer[int]
    user_id: int
    def __init__(self, project_ids: _Optional[_Iterable[int]] = ..., user_id: _Optional[int] = ...) -> None: ...

class GetProjectMembershipsResponse(_message.Message):
    __slots__ = ("projects",)
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    projects: _containers.RepeatedCompositeFieldContainer[ProjectMemberships]
    def __init__(self, projects: _Optional[_Iterable[_Union[ProjectMemberships, _Mapping]]] = ...) -> None: ...

class UserProjectRole(_message.Message):
    __slots__ = ("project_id", "role")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    role: ProjectRole
    def __init__(self, project_id: _Optional[int] = ..., role: _Optional[_Union[ProjectRole, str]] = ...) -> None: ...

class ListUserProjectsRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: int
    def __init__(self, user_id: _Optional[int] = ...) -> None: ...

class ListUserProjectsResponse(_message.Message):
    __slots__ = ("projects",)
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    projects: _containers.RepeatedCompositeFieldContainer[UserProjectRole]
    def __init__(self, projects: _Optional[_Iterable[_Union[UserProjectRole, _Mapping]]] = ...) -> None: ...

class InitProjectMembersRequest(_message.Message):
    __slots__ = ("project_id", "creator_id", "clone_of_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CLONE_OF_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    creator_id: int
    clone_of_id: int
    def __init__(self, project_id: _Optional[int] = ..., creator_id: _Optional[int] = ..., clone_of_id: _Optional[int] = ...) -> None: ...

class InitProjectMembersResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MemberRight(_message.Message):
    __slots__ = ("user_id", "right")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    user_id: int
    right: str
    def __init__(self, user_id: _Optional[int] = ..., right: _Optional[str] = ...) -> None: ...

class SetProjectMembersRequest(_message.Message):
    __slots__ = ("project_id", "members", "contact_id", "dry_run")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    members: _containers.RepeatedCompositeFieldContainer[MemberRight]
    contact_id: int
    dry_run: bool
    def __init__(self, project_id: _Optional[int] = ..., members: _Optional[_Iterable[_Union[MemberRight, _Mapping]]] = ..., contact_id: _Optional[int] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class SetProjectMembersResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MergeProjectMembersRequest(_message.Message):
    __slots__ = ("source_project_id", "target_project_id")
    SOURCE_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    source_project_id: int
    target_project_id: int
    def __init__(self, source_project_id: _Optional[int] = ..., target_project_id: _Optional[int] = ...) -> None: ...

class MergeProjectMembersResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AddProjectUsersRequest(_message.Message):
    __slots__ = ("project_id", "user_emails", "user_role", "project_hash")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAILS_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_HASH_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    user_emails: _containers.RepeatedScalarFieldContainer[str]
    user_role: ProjectRole
    project_hash: str
    def __init__(self, project_id: _Optional[int] = ..., user_emails: _Optional[_Iterable[str]] = ..., user_role: _Optional[_Union[ProjectRole, str]] = ..., project_hash: _Optional[str] = ...) -> None: ...

class ProjectUser(_message.Message):
    __slots__ = ("user_email", "user_role", "project_hash")
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_HASH_FIELD_NUMBER: _ClassVar[int]
    user_email: str
    user_role: ProjectRole
    project_hash: str
    def __init__(self, user_email: _Optional[str] = ..., user_role: _Optional[_Union[ProjectRole, str]] = ..., project_hash: _Optional[str] = ...) -> None: ...

class AddProjectUsersResponse(_message.Message):
    __slots__ = ("users",)
    USERS_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[ProjectUser]
    def __init__(self, users: _Optional[_Iterable[_Union[ProjectUser, _Mapping]]] = ...) -> None: ...

class ListProjectUsersRequest(_message.Message):
    __slots__ = ("project_id", "project_hash")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_HASH_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    project_hash: str
    def __init__(self, project_id: _Optional[int] = ..., project_hash: _Optional[str] = ...) -> None: ...

class ListProjectUsersResponse(_message.Message):
    __slots__ = ("users",)
    USERS_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[ProjectUser]
    def __init__(self, users: _Optional[_Iterable[_Union[ProjectUser, _Mapping]]] = ...) -> None: ...

class Group(_message.Message):
    __slots__ = ("group_hash", "name", "description", "created_at", "members")
    GROUP_HASH_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    group_hash: str
    name: str
    description: str
    created_at: _timestamp_pb2.Timestamp
    members: _containers.RepeatedCompositeFieldContainer[_common_pb2.MinUser]
    def __init__(self, group_hash: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., members: _Optional[_Iterable[_Union[_common_pb2.MinUser, _Mapping]]] = ...) -> None: ...

class CreateGroupRequest(_message.Message):
    __slots__ = ("name", "description", "user_emails")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    USER_EMAILS_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    user_emails: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., user_emails: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateGroupResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: Group
    def __init__(self, group: _Optional[_Union[Group, _Mapping]] = ...) -> None: ...

class ListGroupsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListGroupsResponse(_message.Message):
    __slots__ = ("groups",)
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[Group]
    def __init__(self, groups: _Optional[_Iterable[_Union[Group, _Mapping]]] = ...) -> None: ...

class AddGroupMembersRequest(_message.Message):
    __slots__ = ("group_hash", "user_emails")
    GROUP_HASH_FIELD_NUMBER: _ClassVar[int]
    USER_EMAILS_FIELD_NUMBER: _ClassVar[int]
    group_hash: str
    user_emails: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, group_hash: _Optional[str] = ..., user_emails: _Optional[_Iterable[str]] = ...) -> None: ...

class AddGroupMembersResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: Group
    def __init__(self, group: _Optional[_Union[Group, _Mapping]] = ...) -> None: ...

class RemoveGroupMembersRequest(_message.Message):
    __slots__ = ("group_hash", "user_emails")
    GROUP_HASH_FIELD_NUMBER: _ClassVar[int]
    USER_EMAILS_FIELD_NUMBER: _ClassVar[int]
    group_hash: str
    user_emails: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, group_hash: _Optional[str] = ..., user_emails: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveGroupMembersResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: Group
    def __init__(self, group: _Optional[_Union[Group, _Mapping]] = ...) -> None: ...

class ProjectGroup(_message.Message):
    __slots__ = ("group_hash", "name", "description", "created_at", "user_role")
    GROUP_HASH_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    group_hash: str
    name: str
    description: str
    created_at: _timestamp_pb2.Timestamp
    user_role: ProjectRole
    def __init__(self, group_hash: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., user_role: _Optional[_Union[ProjectRole, str]] = ...) -> None: ...

class ListProjectGroupsRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    def __init__(self, project_id: _Optional[int] = ...) -> None: ...

class ListProjectGroupsResponse(_message.Message):
    __slots__ = ("groups",)
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[ProjectGroup]
    def __init__(self, groups: _Optional[_Iterable[_Union[ProjectGroup, _Mapping]]] = ...) -> None: ...

class AddProjectGroupsRequest(_message.Message):
    __slots__ = ("project_id", "group_hashes", "user_role")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_HASHES_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    group_hashes: _containers.RepeatedScalarFieldContainer[str]
    user_role: ProjectRole
    def __init__(self, project_id: _Optional[int] = ..., group_hashes: _Optional[_Iterable[str]] = ..., user_role: _Optional[_Union[ProjectRole, str]] = ...) -> None: ...

class AddProjectGroupsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RemoveProjectGroupsRequest(_message.Message):
    __slots__ = ("project_id", "group_hashes")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_HASHES_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    group_hashes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, project_id: _Optional[int] = ..., group_hashes: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveProjectGroupsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
