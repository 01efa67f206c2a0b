"""Plain values the projects domain works with."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.core.roles import ANNOTATE, MANAGE, VIEW, ProjectRole, right_of
from services.projects.store import Project


@dataclass(frozen=True, slots=True)
class Member:
    """A direct member of a project, as the users service reports them."""

    user_id: int
    email: str
    name: str
    role: ProjectRole
    contact: bool = False

    @property
    def right(self) -> str:
        return right_of(self.role)


@dataclass(frozen=True, slots=True)
class Memberships:
    """A project's direct members, and the effective role of the user asked about."""

    project_id: int
    members: tuple[Member, ...] = ()
    user_role: ProjectRole | None = None


@dataclass(frozen=True, slots=True)
class ProjectView:
    """A project as answered to a caller: its row, its members grouped by right, the caller's right."""

    project: Project
    managers: tuple[Member, ...] = ()
    annotators: tuple[Member, ...] = ()
    viewers: tuple[Member, ...] = ()
    contact: Member | None = None
    highest_right: str = ""
    summary: bool = False
    caller_role: ProjectRole | None = None  # a single project's reader's role; None in search results

    @classmethod
    def of(cls, project: Project, memberships: Memberships | None, *, highest_right: str = "",
           summary: bool = False, caller_role: ProjectRole | None = None) -> "ProjectView":
        members = memberships.members if memberships is not None else ()
        return cls(
            project=project,
            managers=tuple(m for m in members if m.right == MANAGE),
            annotators=tuple(m for m in members if m.right == ANNOTATE),
            viewers=tuple(m for m in members if m.right == VIEW),
            contact=next((m for m in members if m.contact), None),
            highest_right=highest_right,
            summary=summary,
            caller_role=caller_role,
        )


@dataclass(frozen=True, slots=True)
class MemberPlan:
    """EcoTaxa's privilege rewrite: each user once, with the highest right they were listed with."""

    rights: tuple[tuple[int, str], ...]
    contact_id: int


@dataclass(frozen=True, slots=True)
class UpdatePlan:
    """A validated update: the project fields to write and, maybe, the members to rewrite."""

    fields: dict = field(default_factory=dict)
    members: MemberPlan | None = None


@dataclass(frozen=True, slots=True)
class SearchRequest:
    not_granted: bool = False
    for_managing: bool = False
    title_filter: str = ""
    instrument_filter: str = ""
    filter_subset: bool = False
    order_field: str = ""
    summary: bool = False
    window_start: int | None = None
    window_size: int | None = None
