"""Review workflows: the stage graph of a project (graph) and the tasks moving through it (tasks)."""

from services.labels.domain.workflow.graph import (
    Route,
    Stage,
    StageType,
    Workflow,
    WorkflowChange,
    default_workflow,
    follow_routers,
    parse_workflow,
    pick_route,
    replace_workflow,
    route_bucket,
    workflow_json,
)
from services.labels.domain.workflow.tasks import (
    AnnotationTaskStatus,
    LabelLogAction,
    LabelStatus,
    LegacyStatusChange,
    Review,
    Submission,
    TaskAction,
    TaskState,
    TaskStatus,
    Transition,
    apply_action,
    legacy_status_change,
    legacy_workflow_action,
    new_task,
    row_statuses,
    submit_for_review,
    task_from_json,
    task_json,
)

__all__ = [
    "AnnotationTaskStatus", "LabelLogAction", "LabelStatus", "LegacyStatusChange", "Review", "Route", "Stage",
    "StageType", "Submission", "TaskAction", "TaskState", "TaskStatus", "Transition", "Workflow", "WorkflowChange",
    "apply_action", "default_workflow", "follow_routers", "legacy_status_change", "legacy_workflow_action",
    "new_task", "parse_workflow", "pick_route", "replace_workflow", "route_bucket", "row_statuses",
    "submit_for_review", "task_from_json", "task_json", "workflow_json",
]
