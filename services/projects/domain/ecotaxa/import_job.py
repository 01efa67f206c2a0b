"""The ``FileImport`` job (docs/ecotaxa-import.md): prepare the source, survey every file,
resolve taxa and annotators (asking the owner about unknown ones), load in staged chunks, then
publish at once. ``cleanup`` undoes a failed, killed or interrupted run."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from services.core.bus import utcnow
from services.core.errors import DomainError
from services.core.jobs import JobContext, JobFailed, JobKind, JobQuestion
from services.projects import hierarchy_store as hs
from services.projects import store
from services.projects.domain.datasets.ingest import discard_blobs
from services.projects.domain.ecotaxa import bundle, updates, workers
from services.projects.domain.ecotaxa.bundle import Survey, TsvFile
from services.projects.domain.ecotaxa.ports import ImportDeps
from services.projects.domain.ecotaxa.sources import Source, open_source, resolve
from services.projects.domain.ecotaxa.sunpos import sun_position
from services.projects.domain.ecotaxa.tsv import MAX_RANK, Line
from services.projects.domain.hierarchy.mappings import MAPPING_FIELD, extend_mapping
from services.projects.domain.hierarchy.staging import discard_staged, publish_staged

CHUNK = 1000
IMAGE_BATCH = 100
LOOKUP_CHUNK = 5000
ASKING = "Some users or taxonomic references could not be matched"


def _who_key(name: str, email: str) -> str:
    return f"{name}\x00{email}"


class _Run:
    """One run of the job: the state a run builds before it loads."""

    def __init__(self, deps: ImportDeps, ctx: JobContext) -> None:
        self.deps, self.ctx = deps, ctx
        p = ctx.params
        self.project_id: int = p["project_id"]
        self.mappings: dict[str, str] = p.get("taxo_mappings") or {}
        self.update_mode: str = p.get("update_mode", "")
        self.skip_existing: bool = p.get("skip_existing_objects", False)
        self.root: Path = Path(p["source"])
        self.started = datetime.fromisoformat(ctx.inside["started"]) if "started" in ctx.inside else utcnow()
        ctx.inside.setdefault("started", self.started.isoformat())

    # ---- prepare and survey -------------------------------------------------------------

    async def prepare(self) -> Source:
        source = self.root
        if not source.exists():
            raise JobFailed([f"{self.ctx.params.get('source_path', 'source')}: the source is gone"])
        await self.ctx.progress(1, "Reading the source")
        try:
            return await asyncio.to_thread(open_source, source, max_total_bytes=self.deps.data.limits.max_upload_bytes)
        except DomainError as exc:
            raise JobFailed([exc.message]) from None

    async def survey(self, source: Source, pool: concurrent.futures.Executor) -> Survey:
        try:
            files = await asyncio.to_thread(bundle.discover, source)
        except DomainError as exc:
            raise JobFailed([exc.message]) from None
        async with self.deps.db.session() as s:
            project = await store.get_project(s, project_id=self.project_id)
        if project is None:
            raise JobFailed(["The project was deleted."])
        if self.ctx.params.get("skip_loaded_files"):
            loaded = set(project.fileloaded or [])
            files = [f for f in files if f.relative not in loaded]
        started = time.perf_counter()
        futures = [self.survey_file(source, pool, f) for f in files]
        parts = []
        for i, future in enumerate(futures):
            parts.append(await future)
            await self.ctx.progress(5 + 15 * (i + 1) // max(1, len(files)), f"Validating files {i + 1}/{len(files)}")
        result = await asyncio.to_thread(bundle.combine, source, parts, check_images=self.update_mode == "")
        self.ctx.log.info("survey of %d files, %d lines: %.2f s", len(files), result.lines,
                          time.perf_counter() - started)
        await self._check_against_project(result, project)
        if result.problems:
            raise JobFailed(result.problems.lines, result={"infos": result.infos})
        return result

    def survey_file(self, source: Source, pool: concurrent.futures.Executor, tsv: TsvFile) -> asyncio.Future:
        """One file's survey, in a worker process (which reads the file from the source itself)."""
        return asyncio.get_running_loop().run_in_executor(pool, workers.survey_file, source.locate(tsv.relative, 0),
                                                          self.mappings, self.update_mode == "")

    def loaded_files(self, survey: Survey) -> list[str]:
        """The names the project records as loaded when the import publishes."""
        return [f.relative for f in survey.files]

    async def _check_against_project(self, survey: Survey, project) -> None:
        """What only the project can tell: objects it holds already, acquisitions in another sample,
        free columns beyond its capacity."""
        problems = survey.problems
        where = "the import"
        ids = sorted(survey.object_ids)
        existing: dict[str, int] = {}
        async with self.deps.db.session() as s:
            for start in range(0, len(ids), LOOKUP_CHUNK):
                existing.update(await hs.object_ids_by_orig_id(s, project_id=self.project_id,
                                                               orig_ids=ids[start:start + LOOKUP_CHUNK]))
            acquisitions = await hs.acquisition_ids_by_orig_id(s, project_id=self.project_id)
        self.existing = existing
        if self.update_mode == "" and existing and not self.skip_existing:
            for orig_id in sorted(existing)[:20]:
                problems.add(where, f"Object '{orig_id[:100]}' already exists in the project (see skip_existing_objects).")
        held = {acq: smp for smp, acq in acquisitions}
        for acq, smp in survey.acquisitions.items():
            if acq in held and held[acq] != smp:
                problems.add(where, f"Acquisition '{acq[:100]}' is already associated with sample '{held[acq][:100]}' "
                                    f"in the project, it cannot be in sample '{smp[:100]}' too.")
        for kind, names in survey.free.items():
            current = getattr(project, MAPPING_FIELD[kind])
            for type_ in sorted(set(names.values())):
                try:
                    extend_mapping(current, kind=kind, names=[n for n, t in names.items() if t == type_], type=type_)
                except DomainError as exc:
                    problems.add(where, exc.message)
            if current and any(n not in current for n in names):
                survey.infos.append(f"New field(s) for {kind}: {', '.join(sorted(n for n in names if n not in current))}")

    # ---- resolve ------------------------------------------------------------------------

    async def resolve(self, survey: Survey) -> tuple[dict[str, int], dict[str, int]]:
        """Taxon ids by name (ids given in the files are checked) and user ids by (name, email); asks
        the job's owner about the unknown ones."""
        reply = self.ctx.reply or {}
        reply_taxa = {str(k).lower(): v for k, v in (reply.get("taxa") or {}).items()}
        reply_users = dict(reply.get("users") or {})
        peers = self.deps.peers
        names = sorted(survey.category_names)
        taxa = dict(zip(names, await peers.taxa_by_name(names))) if names else {}
        missing_taxa = []
        for name in names:
            if taxa[name] <= 0:
                answer = reply_taxa.get(name)
                if isinstance(answer, int) and not isinstance(answer, bool) and answer > 0:
                    taxa[name] = answer
                else:
                    missing_taxa.append(name)
        ids = sorted(survey.category_ids | {v for v in taxa.values() if v > 0})
        exist = dict(zip(ids, await peers.taxa_exist(ids))) if ids else {}
        unknown_ids = [i for i in survey.category_ids if not exist.get(i)]
        if unknown_ids:
            raise JobFailed([f"Unknown category id(s): {', '.join(str(i) for i in sorted(unknown_ids)[:50])}."])
        for name in names:
            if taxa.get(name, 0) > 0 and not exist.get(taxa[name]):
                missing_taxa.append(name)
        refs = sorted(survey.people)
        found = dict(zip(refs, await peers.users_by_ref(refs))) if refs else {}
        users: dict[str, int] = {}
        missing_users = []
        for name, email in refs:
            user_id = found[(name, email)]
            if user_id <= 0:
                answer = reply_users.get(name) or reply_users.get(email)
                if isinstance(answer, int) and not isinstance(answer, bool) and answer > 0 \
                        and await peers.user_exists(answer):
                    user_id = answer
            if user_id > 0:
                users[_who_key(name, email)] = user_id
            else:
                missing_users.append(name or email)
        if missing_taxa or missing_users:
            raise JobQuestion({"missing_users": sorted(set(missing_users)), "missing_taxa": sorted(set(missing_taxa))},
                              message=ASKING)
        return taxa, users


class FileImport:
    # What one run does before it loads; a job feeding the pipeline another source overrides it.
    run_type: type[_Run] = _Run

    def __init__(self, deps: ImportDeps) -> None:
        self.deps = deps

    async def run(self, ctx: JobContext) -> dict:
        r = self.run_type(self.deps, ctx)
        source = await r.prepare()
        limits, settings = self.deps.data.limits, self.deps.settings
        pool = workers.pool(workers.Settings(archive=source.archive, blob_url=settings.resolved_blob_url(),
                                             max_pixels=limits.max_image_pixels, thumbnail_size=limits.thumbnail_size))
        try:
            survey = await r.survey(source, pool)
            # An update without classifications ("Yes") drops the classification columns.
            taxa, users = await r.resolve(survey) if r.update_mode != "Yes" else ({}, {})
            await ctx.progress(20, "Loading")
            loader = _Loader(r, survey, taxa=taxa, users=users, pool=pool)
            await loader.extend_mappings()
            if r.update_mode:
                return {**await updates.update(loader, source), "infos": survey.infos}
            await loader.load(source)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            source.close()
        await ctx.progress(95, "Publishing")
        counts = await loader.publish()
        return {"rowcount": counts.get("obj_head", 0), "images": loader.images, "infos": survey.infos}

    async def cleanup(self, ctx: JobContext) -> None:
        async with self.deps.db.transaction() as s:
            keys = await hs.staged_blob_keys(s, job_id=ctx.job_id)
            await discard_staged(s, job_id=ctx.job_id)
        await discard_blobs(deps=self.deps.data, keys=keys)
        try:
            await self.deps.peers.discard_classifications(job_id=ctx.job_id)
        except DomainError:
            ctx.log.warning("classifications of the job could not be discarded now; they stay invisible")


class _Loader:
    def __init__(self, run: _Run, survey: Survey, *, taxa: dict[str, int], users: dict[str, int],
                 pool: concurrent.futures.Executor) -> None:
        self.r, self.survey, self.taxa, self.users = run, survey, taxa, users
        self._pool = pool
        # The project's parents and own dataset, read once per run.
        self._samples: dict[str, int] = {}
        self._acquisitions: dict[tuple[str, str], tuple[int, int]] | None = None
        self._dataset_id: int | None = None
        self.ctx = run.ctx
        self.deps = run.deps
        self.project_id = run.project_id
        self.images = self.ctx.inside.get("images", 0)
        self.done_lines = self.ctx.inside.get("lines", 0)

    async def extend_mappings(self) -> None:
        async with self.deps.db.transaction() as s:
            project = await store.get_project(s, project_id=self.project_id)
            changed = []
            for kind, names in self.survey.free.items():
                name = MAPPING_FIELD[kind]
                current = getattr(project, name)
                extended = current
                for type_ in sorted(set(names.values())):
                    extended = extend_mapping(extended, kind=kind, type=type_,
                                              names=[n for n, t in names.items() if t == type_])
                if extended != current:
                    setattr(project, name, extended)
                    changed.append(name)
            if changed:
                s.add(project)
                self.deps.data.project.events.updated(s, project=project, actor_id=self.ctx.owner_id,
                                                      changed_fields=changed)
            self.maps = {k: dict(getattr(project, MAPPING_FIELD[k])) for k in MAPPING_FIELD}
            self.creator_id = project.creator_id

    async def load(self, source: Source) -> None:
        """A pipeline: while one chunk's rows are written (and its classifications staged), the next
        chunk's images are decoded and stored in worker threads."""
        self._staging: tuple[asyncio.Future, list[int], int] | None = None
        pending: tuple[tuple, asyncio.Future] | None = None
        try:
            async for item in self._chunks(source):
                task = asyncio.ensure_future(self._prepare(source, item[1]))
                if pending is not None:
                    await self._write(*pending[0], await pending[1])
                pending = (item, task)
            if pending is not None:
                await self._write(*pending[0], await pending[1])
            await self._staged()
        except BaseException:
            for fut in (pending[1] if pending else None, self._staging[0] if self._staging else None):
                if fut is not None and not fut.done():
                    fut.cancel()
                    await asyncio.gather(fut, return_exceptions=True)
            raise

    async def _chunks(self, source: Source):
        """(index of the last file, [(file, lines)...]) from where an earlier run stopped: about
        ``CHUNK`` lines at a time, several small files in one chunk."""
        position = self.ctx.inside.get("position", [0, 0])  # [file index, last line number written]
        segments: list[tuple[TsvFile, list[Line]]] = []
        size = 0
        for index, tsv in enumerate(self.survey.files):
            if index < position[0]:
                continue

            def problem(text: str, line: int | None, _f=tsv.relative) -> None:
                raise JobFailed([f"In {_f}:", f" - line {line}: {text}" if line else f" - {text}"])

            chunks = _Chunks(bundle.read_lines(source, tsv, problem), CHUNK,
                             position[1] if index == position[0] else 0)
            while chunk := await asyncio.to_thread(chunks.next):
                segments.append((tsv, chunk))
                size += len(chunk)
                if size >= CHUNK:
                    yield index, segments
                    segments, size = [], 0
            last = index
        if segments:
            yield last, segments

    async def _prepare(self, source: Source, segments: list[tuple[TsvFile, list[Line]]]):
        """What a chunk needs before its rows: objects an interrupted run staged already, and the
        images of the others, stored."""
        lines = [ln for _, part in segments for ln in part]
        async with self.deps.db.session() as s:
            known = await hs.object_ids_by_orig_id(s, project_id=self.project_id,
                                                   orig_ids=[ln.object_id for ln in lines], include_staged=True)
        stored: dict[tuple[str, int], workers.Stored] = {}
        for tsv, part in segments:
            stored |= await self._store_images(source, tsv, [ln for ln in part
                                                             if ln.img_file and ln.object_id not in known])
        return known, [ln for ln in lines if ln.object_id not in known], stored

    async def _write(self, index: int, segments: list[tuple[TsvFile, list[Line]]], prepared) -> None:
        deps, ctx = self.deps, self.ctx
        known, fresh, stored = prepared
        lines = [ln for _, part in segments for ln in part]
        groups: dict[str, list[Line]] = {}
        for ln in fresh:
            groups.setdefault(ln.object_id, []).append(ln)
        new_objects = []
        async with deps.db.transaction() as s:
            parents = await self._parents(s, [g[0] for g in groups.values()])
            for orig_id, group in groups.items():
                first = group[0]
                acquisid, sampleid = parents[(first.sample.orig_id, first.acquisition.orig_id)]
                new_objects.append(hs.NewObject(acquisid=acquisid, sampleid=sampleid, orig_id=orig_id,
                                                head=self._head(first), fields=self._fields(first),
                                                images=_images(group, stored)))
            if self._dataset_id is None:
                self._dataset_id = (await hs.ensure_own_dataset(s, project_id=self.project_id,
                                                                owner_id=self.creator_id)).id
            objids = await hs.add_objects(s, project_id=self.project_id, dataset_id=self._dataset_id,
                                          creator_id=ctx.owner_id, objects=new_objects, staging_job_id=ctx.job_id)
        self.images += sum(len(o.images) for o in new_objects)
        ids = dict(known) | dict(zip(groups, objids))
        rows = [self._classification(ids[orig_id], group[0]) for orig_id, group in groups.items()]
        # Staged by an interrupted run of this chunk: stage their classifications again.
        firsts = {ln.object_id: ln for ln in reversed(lines)}
        rows += [self._classification(objid, firsts[o]) for o, objid in known.items() if o not in self.r.existing]
        staging = asyncio.ensure_future(deps.peers.stage_classifications(
            job_id=ctx.job_id, project_id=self.project_id, rows=rows))
        await self._staged()
        ctx.log.info("%s: %d objects staged", ", ".join(f"{t.relative} lines {p[0].number}-{p[-1].number}"
                                                         for t, p in segments), len(new_objects))
        self._staging = (staging, [index, lines[-1].number], len(lines))

    async def _staged(self) -> None:
        """Wait for the last chunk's classifications, then record that chunk as done."""
        if self._staging is None:
            return
        staging, position, count = self._staging
        self._staging = None
        await staging
        self.done_lines += count
        self.ctx.inside.update(position=position, lines=self.done_lines, images=self.images)
        await self.ctx.save_inside()
        await self.ctx.progress(20 + 75 * self.done_lines // max(1, self.survey.lines),
                                f"Processing files {position[0] + 1}/{len(self.survey.files)}")

    def _head(self, line: Line) -> dict:
        head = dict(line.head)
        head["sunpos"] = sun_position(head.get("objdate"), head.get("objtime"), head.get("latitude"),
                                      head.get("longitude"))
        return head

    def _fields(self, line: Line) -> dict:
        mapping = self.maps["object"]
        fields = {mapping[k]: v for k, v in line.numbers.items() if v is not None}
        fields.update({mapping[k]: v for k, v in line.texts.items()})
        return fields

    def _classification(self, objid: int, line: Line) -> dict:
        row = {"objid": objid}
        if not line.status:
            return row
        taxon = line.category_id if line.category_id is not None else \
            self.taxa[self.r.mappings.get(line.category, line.category)]
        row.update(classif_id=taxon, classif_qual=line.status)
        if line.status in ("V", "D"):
            who = self.users.get(_who_key(line.person_name, line.person_email.lower())) \
                if (line.person_name or line.person_email) else None
            row.update(classif_who=who or self.ctx.owner_id, classif_date=line.annotated_at or self.r.started)
        else:
            row.update(classif_date=line.annotated_at or self.r.started)
        return row

    async def _parents(self, s, firsts: Sequence[Line]) -> dict[tuple[str, str], tuple[int, int]]:
        """(sample, acquisition) orig_ids -> (acquisid, sampleid), writing the missing ones staged.
        What the project holds is read once per run and kept up to date as parents are written."""
        job_id = self.ctx.job_id
        if self._acquisitions is None:
            self._acquisitions = await hs.acquisition_ids_by_orig_id(s, project_id=self.project_id,
                                                                      include_staged=True)
        samples, acquisitions = self._samples, self._acquisitions
        unknown = sorted({ln.sample.orig_id for ln in firsts} - samples.keys())
        if unknown:
            samples.update(await hs.sample_ids_by_orig_id(s, project_id=self.project_id, orig_ids=unknown,
                                                          include_staged=True))
        new_samples = {}
        for ln in firsts:
            if ln.sample.orig_id not in samples and ln.sample.orig_id not in new_samples:
                new_samples[ln.sample.orig_id] = {
                    "orig_id": ln.sample.orig_id,
                    "dataportal_descriptor": ln.sample.fixed.get("dataportal_descriptor", ""),
                    **{self.maps["sample"][k]: v for k, v in ln.sample.free.items() if v}}
        if new_samples:
            got = await hs.add_samples(s, project_id=self.project_id, rows=list(new_samples.values()),
                                       staging_job_id=job_id)
            samples.update(zip(new_samples, got))
        new_acqs: dict[tuple[str, str], Line] = {}
        for ln in firsts:
            key = (ln.sample.orig_id, ln.acquisition.orig_id)
            if key not in acquisitions and key not in new_acqs:
                new_acqs[key] = ln
        if new_acqs:
            got = await hs.add_acquisitions(s, staging_job_id=job_id, rows=[
                {"acq_sample_id": samples[smp], "orig_id": acq,
                 "instrument": ln.acquisition.fixed.get("instrument", ""),
                 **{self.maps["acquisition"][k]: v for k, v in ln.acquisition.free.items() if v}}
                for (smp, acq), ln in new_acqs.items()])
            await hs.add_processes(s, staging_job_id=job_id, rows=[
                {"processid": aid, "orig_id": ln.process.orig_id,
                 **{self.maps["process"][k]: v for k, v in ln.process.free.items() if v}}
                for ((smp, acq), ln), aid in zip(new_acqs.items(), got)])
            for (smp, acq), aid in zip(new_acqs, got):
                acquisitions[(smp, acq)] = (aid, samples[smp])
        return acquisitions

    async def _store_images(self, source: Source, tsv: TsvFile, lines: Sequence[Line]
                            ) -> dict[tuple[str, int], workers.Stored]:
        """Decode and store each line's image in the worker processes; (file, line) -> stored image.
        All or nothing: a bad image fails the job, and the blobs this chunk created go."""
        members = []
        for ln in lines:
            name = resolve(tsv.relative, ln.img_file)
            if name is None or not source.has(name):
                raise JobFailed([f"In {tsv.relative}:", f" - line {ln.number}: Missing Image '{ln.img_file[:200]}'."])
            members.append(source.locate(name, ln.number))
        loop = asyncio.get_running_loop()
        batches = [members[i:i + IMAGE_BATCH] for i in range(0, len(members), IMAGE_BATCH)]
        futures = [loop.run_in_executor(self._pool, workers.store_batch, b) for b in batches]
        done = await asyncio.gather(*futures, return_exceptions=True)
        created = [k for d in done if isinstance(d, workers.Batch) for k in d.created]
        failed = [d for d in done if not isinstance(d, workers.Batch) or d.error]
        if failed:
            await asyncio.shield(discard_blobs(deps=self.deps.data, keys=created))
            first = failed[0]
            if not isinstance(first, workers.Batch):
                raise first
            raise JobFailed([f"In {tsv.relative}:", f" - line {first.error_line}: {first.error}"])
        return {(tsv.relative, st.number): st for d in done for st in d.stored}

    async def publish(self) -> dict[str, int]:
        deps, ctx = self.deps, self.ctx
        async with deps.db.transaction() as s:
            counts = await publish_staged(s, events=deps.hierarchy_events, job_id=ctx.job_id,
                                          project_id=self.project_id, actor_id=ctx.owner_id)
            await hs.propagate_geo(s, project_id=self.project_id)
            project = await store.get_project(s, project_id=self.project_id)
            if project is None:
                raise JobFailed(["The project was deleted."])
            loaded = list(project.fileloaded or [])
            loaded += [f for f in self.r.loaded_files(self.survey) if f not in loaded]
            project.fileloaded = loaded
            s.add(project)
            await s.execute(sa.update(store.Project).where(store.Project.projid == self.project_id)
                            .values(last_edited_at=utcnow()))
        try:
            await deps.peers.publish_classifications(job_id=ctx.job_id)
        except DomainError:
            ctx.log.warning("the labels service will publish the classifications from the object events")
        return counts


def _images(group: list[Line], stored: dict) -> list[hs.NewImage]:
    """An object's images from its lines, by rank (the next free rank when absent or taken)."""
    out, used = [], set()
    for ln in group:
        st = stored.get((ln.file, ln.number))
        if st is None:
            continue
        rank = ln.img_rank if ln.img_rank is not None and ln.img_rank not in used else \
            next(i for i in range(MAX_RANK) if i not in used)
        used.add(rank)
        out.append(hs.NewImage(rank=rank, blob_key=st.key, media_type=st.media_type, width=st.width,
                                  height=st.height, orig_file_name=ln.img_file, size_bytes=st.size,
                                  thumb_key=st.thumb_key, thumb_width=st.thumb_width,
                                  thumb_height=st.thumb_height))
    return out


class _Chunks:
    """A file's lines after ``after``, ``n`` at a time, never splitting the lines of one object
    (they follow each other: the survey checks it)."""

    def __init__(self, lines, n: int, after: int) -> None:
        self._lines, self._n, self._after = lines, n, after
        self._pending: Line | None = None

    def next(self) -> list[Line]:
        """Blocking (reads the file)."""
        out: list[Line] = [self._pending] if self._pending else []
        self._pending = None
        for ln in self._lines:
            if ln.number <= self._after:
                continue
            if len(out) >= self._n and ln.object_id != out[-1].object_id:
                self._pending = ln
                break
            out.append(ln)
        return out


def file_import_job(deps: ImportDeps) -> JobKind:
    job = FileImport(deps)
    return JobKind(run=job.run, cleanup=job.cleanup, resumable=True)
