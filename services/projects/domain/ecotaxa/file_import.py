"""``POST /file_import/{project_id}``: check the right and the source, then submit a
``FileImport`` job (docs/ecotaxa-import.md). Nothing is read from the source here beyond
checking that it is there."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from services.core.auth import Principal
from services.core.errors import InvalidArgument, NotFound, PermissionDenied
from services.core.roles import ANNOTATE, allows
from services.projects.domain.ecotaxa.ports import ImportDeps
from services.projects.domain.lookup import load_project, role_of
from services.projects.domain.user_files import SERVER_PREFIX, relative_parts, resolve_user_path

FILE_IMPORT = "FileImport"
UPDATE_MODES = ("", "Yes", "Cla")
MAX_MAPPINGS = 10_000


@dataclass(frozen=True)
class ImportRequest:
    source_path: str
    taxo_mappings: Mapping[str, str] = field(default_factory=dict)
    skip_loaded_files: bool = False
    skip_existing_objects: bool = False
    update_mode: str = ""


def source_of(*, deps: ImportDeps, caller: Principal, source_path: str) -> Path:
    """The zip or folder a source path names: the caller's own files (``/my_files/...``), or a
    path relative to the import root. 422 for a malformed path, 404 when nothing is there."""
    if source_path.startswith(SERVER_PREFIX + "/") or source_path.rstrip("/") == SERVER_PREFIX:
        path = resolve_user_path(settings=deps.settings, user_id=caller.require_user(), server_path=source_path)
    else:
        root = deps.settings.import_root
        if root is None:
            raise InvalidArgument("source_path: a /my_files/ path is needed (this server has no import root)")
        parts = relative_parts(source_path.strip("/"), what="source_path")
        base = root.resolve()
        path = base.joinpath(*parts).resolve()
        if path != base and not path.is_relative_to(base):
            raise PermissionDenied()
        if not path.exists():
            raise NotFound()
    if path.is_file() and path.suffix.lower() != ".zip":
        raise InvalidArgument("source_path: a .zip file or a folder is needed")
    if not (path.is_file() or path.is_dir()):
        raise InvalidArgument("source_path: a .zip file or a folder is needed")
    return path


async def submit_import(*, deps: ImportDeps, caller: Principal, project_id: int, req: ImportRequest) -> int:
    user_id = caller.require_user()
    await load_project(deps=deps.data.project, project_id=project_id)
    if not caller.is_admin and not allows(await role_of(deps=deps.data.project, project_id=project_id,
                                                        caller=caller), ANNOTATE):
        raise PermissionDenied()
    if req.update_mode not in UPDATE_MODES:
        raise InvalidArgument("update_mode: '' (create), 'Yes' (update) or 'Cla' (update with classification)")
    if len(req.taxo_mappings) > MAX_MAPPINGS:
        raise InvalidArgument(f"taxo_mappings: at most {MAX_MAPPINGS} entries")
    source = source_of(deps=deps, caller=caller, source_path=req.source_path)
    params = {"project_id": project_id, "source": str(source), "source_path": req.source_path,
              "taxo_mappings": {k.strip().lower(): v.strip() for k, v in req.taxo_mappings.items()},
              "skip_loaded_files": req.skip_loaded_files, "skip_existing_objects": req.skip_existing_objects,
              "update_mode": req.update_mode}
    async with deps.db.transaction() as s:
        return await deps.data.jobs.submit(s, type=FILE_IMPORT, owner_id=user_id, project_id=project_id,
                                           params=params)
