"""``POST /simple_import/{project_id}`` (EcoTaxa's SimpleImport): the images of a folder or zip,
all given the same metadata. A thin layer over the FileImport pipeline: the ``SimpleImport`` job
lists the source's images, writes a TSV for them into its work folder, and lets the pipeline
survey, load and publish the source with that TSV laid over it (docs/ecotaxa-import.md,
"Simple import")."""

from __future__ import annotations

import asyncio
import concurrent.futures
import csv
import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from services.core.auth import Principal
from services.core.errors import InvalidArgument, PermissionDenied
from services.core.jobs import JobContext, JobFailed, JobKind
from services.core.roles import ANNOTATE, allows
from services.projects.domain.ecotaxa import bundle
from services.projects.domain.ecotaxa.bundle import Survey, TsvFile
from services.projects.domain.ecotaxa.file_import import source_of
from services.projects.domain.ecotaxa.import_job import FileImport, _Run, _who_key
from services.projects.domain.ecotaxa.ports import ImportDeps, ImportPeersPort
from services.projects.domain.ecotaxa.sources import (
    IGNORED_DIRS,
    OverlaySource,
    Source,
    is_tsv,
)
from services.projects.domain.ecotaxa.tsv import coordinate, number
from services.projects.domain.hierarchy.seed import parse_date, parse_time
from services.projects.domain.lookup import load_project, role_of

SIMPLE_IMPORT = "SimpleImport"
TSV_NAME = "ecotaxa_simple_import.tsv"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif")
# EcoTaxa 0.0.37's SimpleImportFields, and the TSV column each one fills.
COLUMNS = {"imgdate": "object_date", "imgtime": "object_time", "latitude": "object_lat",
           "longitude": "object_lon", "depthmin": "object_depth_min", "depthmax": "object_depth_max",
           "taxolb": "object_annotation_category_id", "userlb": "object_annotation_person_name",
           "status": "object_annotation_status"}
FIELDS = tuple(COLUMNS)
# Given one, give all: a classification needs its taxon, its state and who made it.
ANNOTATION = ("taxolb", "userlb", "status")
STATUSES = {"P": "predicted", "V": "validated", "D": "dubious", "X": "discarded"}
# The annotator's name in the written TSV. The job gives it the userlb id itself; it is never
# looked up among the users.
ANNOTATOR = "simple import annotator"
VALUE_ECHO = 100


def _whole(text: str) -> int:
    """A positive id, in plain digits (no sign, separator or other script)."""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**63:
        raise ValueError(text)
    return int(text)


def _status(text: str) -> str:
    if text not in STATUSES:
        raise ValueError(text)
    return text


CHECKS: dict[str, Callable[[str], object]] = {
    "imgdate": parse_date,
    "imgtime": parse_time,
    "latitude": lambda t: coordinate(t, 90, "latitude"),
    "longitude": lambda t: coordinate(t, 180, "longitude"),
    "depthmin": lambda t: number(t, "depthmin"),
    "depthmax": lambda t: number(t, "depthmax"),
    "taxolb": _whole,
    "userlb": _whole,
    "status": _status,
}


def invalid(value: object, key: str, why: str = "") -> str:
    """EcoTaxa's error line for a value (its enum prints as ``SimpleImportFields.<key>``)."""
    return f"'{str(value)[:VALUE_ECHO]}' is not a valid value for SimpleImportFields.{key}{why}"


def check_values(values: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The values as the TSV gets them (stripped) and the problems of their form, in EcoTaxa's
    wording, in the order of the fields (the order of a protobuf map is not kept). Every given
    value is checked; an empty one is not valid."""
    unknown = sorted(k for k in values if k not in COLUMNS)
    if unknown:
        raise InvalidArgument(f"values: unknown field(s) {', '.join(u[:50] for u in unknown[:10])}; "
                              f"known: {', '.join(FIELDS)}")
    clean: dict[str, str] = {}
    errors: list[str] = []
    for key in FIELDS:
        if key not in values:
            continue
        raw = values[key]
        text = raw.strip()
        try:
            if not text or "\x00" in text or CHECKS[key](text) is None:
                raise ValueError(text)
        except (ValueError, InvalidArgument):
            errors.append(invalid(raw, key))
            continue
        clean[key] = str(int(text)) if CHECKS[key] is _whole else text
    if "depthmin" in clean and "depthmax" in clean and float(clean["depthmin"]) > float(clean["depthmax"]):
        errors.append(invalid(values["depthmax"], "depthmax", " as it is less than depthmin."))
    if any(k in values for k in ANNOTATION):
        errors += [f"'None' is not a valid value for SimpleImportFields.{k} as at least one annotation value is set."
                   for k in ANNOTATION if k not in values]
    return clean, errors


async def check_references(peers: ImportPeersPort, clean: Mapping[str, str]) -> list[str]:
    """The taxon (``taxolb``) and the user (``userlb``) must exist."""
    errors = []
    if "taxolb" in clean and not (await peers.taxa_exist([int(clean["taxolb"])]))[0]:
        errors.append(invalid(clean["taxolb"], "taxolb", " as no such taxon exists."))
    if "userlb" in clean and not await peers.user_exists(int(clean["userlb"])):
        errors.append(invalid(clean["userlb"], "userlb", " as no such user exists."))
    return errors


async def submit_simple_import(*, deps: ImportDeps, caller: Principal, project_id: int, source_path: str,
                               values: Mapping[str, str], dry_run: bool) -> tuple[int, list[str]]:
    """(job id, errors): the values are checked on every call; with errors, or on a dry run, the
    job id is 0 and nothing is written. Otherwise the source is checked as for FileImport and a
    ``SimpleImport`` job submitted."""
    user_id = caller.require_user()
    await load_project(deps=deps.data.project, project_id=project_id)
    if not caller.is_admin and not allows(await role_of(deps=deps.data.project, project_id=project_id,
                                                        caller=caller), ANNOTATE):
        raise PermissionDenied()
    errors = [] if source_path else ["No file provided."]
    clean, problems = check_values(values)
    errors += problems
    errors += await check_references(deps.peers, clean)
    if errors or dry_run:
        return 0, errors
    source = source_of(deps=deps, caller=caller, source_path=source_path)
    params = {"project_id": project_id, "source": str(source), "source_path": source_path, "values": clean}
    async with deps.db.transaction() as s:
        job_id = await deps.data.jobs.submit(s, type=SIMPLE_IMPORT, owner_id=user_id, project_id=project_id,
                                             params=params)
    return job_id, []


# ---- the job ------------------------------------------------------------------------------

def image_names(source: Source) -> list[str]:
    """The source's images (``**/*.jpg|jpeg|png|gif``, any case), sorted; ``__MACOSX`` and TSV
    files left out. Blocking."""
    return [n for n in source.files()
            if n.lower().endswith(IMAGE_SUFFIXES) and not is_tsv(n) and not set(n.split("/")) & set(IGNORED_DIRS)]


def parent_orig_id(job_id: int) -> str:
    """The orig_id of the one sample, acquisition and process an import's objects go to."""
    return f"simple_import_{job_id}"


def object_id(name: str) -> str:
    """EcoTaxa's object_id of an image: the md5 of its path in the source."""
    return hashlib.md5(name.encode("utf-8")).hexdigest()


def write_tsv(path: Path, images: Sequence[str], *, values: Mapping[str, str], parent: str) -> None:
    """An EcoTaxa TSV with one object per image, each with ``values``. Blocking."""
    keys = [k for k in FIELDS if k in values]
    cells = [STATUSES[values[k]] if k == "status" else ANNOTATOR if k == "userlb" else values[k] for k in keys]
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter="\t", quotechar='"', lineterminator="\n")
        out.writerow(["object_id", "img_file_name", "sample_id", "acq_id", "process_id", *(COLUMNS[k] for k in keys)])
        out.writerow(["[t]"] * 5 + ["[f]" if k in ("latitude", "longitude", "depthmin", "depthmax", "taxolb")
                                    else "[t]" for k in keys])
        for name in images:
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                raise JobFailed([f"The file name {name!r} is not valid UTF-8."]) from None
            out.writerow([object_id(name), name, parent, parent, parent, *cells])


class _SimpleRun(_Run):
    """A FileImport run whose source is the images with the written TSV laid over them."""

    def __init__(self, deps: ImportDeps, ctx: JobContext) -> None:
        super().__init__(deps, ctx)
        self.values: dict[str, str] = ctx.params["values"]

    @property
    def tsv_path(self) -> Path:
        return self.ctx.work_dir / TSV_NAME

    async def prepare(self) -> Source:
        inner = await super().prepare()
        try:
            images = await asyncio.to_thread(image_names, inner)
            await self.ctx.progress(2, f"Found {len(images)} images")
            await asyncio.to_thread(write_tsv, self.tsv_path, images, values=self.values,
                                    parent=parent_orig_id(self.ctx.job_id))
        except BaseException:
            inner.close()
            raise
        return OverlaySource(inner, {TSV_NAME: self.tsv_path}, hidden=is_tsv)

    def survey_file(self, source: Source, pool: concurrent.futures.Executor, tsv: TsvFile) -> asyncio.Future:
        # The written TSV is no member of the archive the workers read: surveyed here, in a thread.
        return asyncio.ensure_future(asyncio.to_thread(
            bundle.survey_file, lambda: source.open(tsv.relative), tsv.relative, taxo_mappings={}, need_images=True))

    async def resolve(self, survey: Survey):
        survey.people.clear()  # the one annotator is userlb, by id
        taxa, users = await super().resolve(survey)
        if "userlb" in self.values:
            user_id = int(self.values["userlb"])
            if not await self.deps.peers.user_exists(user_id):
                raise JobFailed([f"The user {user_id} (userlb) does not exist any more."])
            users[_who_key(ANNOTATOR, "")] = user_id
        return taxa, users

    def loaded_files(self, survey: Survey) -> list[str]:
        return []  # the written TSV is no file of the source


class SimpleImport(FileImport):
    run_type = _SimpleRun

    async def run(self, ctx: JobContext) -> dict:
        try:
            result = await super().run(ctx)
        finally:
            (ctx.work_dir / TSV_NAME).unlink(missing_ok=True)
        return {"nb_images": result["images"]}


def simple_import_job(deps: ImportDeps) -> JobKind:
    job = SimpleImport(deps)
    return JobKind(run=job.run, cleanup=job.cleanup, resumable=True)
