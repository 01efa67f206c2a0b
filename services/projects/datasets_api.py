"""gRPC servicer of datasets and data units: translates protobuf to domain calls, nothing else."""

from __future__ import annotations

import json

from copepod.v1 import common_pb2, datasets_pb2, datasets_pb2_grpc

from services.core.auth import principal
from services.core.errors import InvalidArgument
from services.projects.datasets_store import Dataset, DataUnit
from services.projects.domain.datasets import manage, units
from services.projects.domain.datasets.ingest import Spool, parse_metadata
from services.projects.domain.datasets.ports import DatasetDeps
from services.projects.domain.datasets.upload import begin_upload, finish_upload


def _iso(value) -> str:
    return value.isoformat() if value else ""


def dataset_message(d: Dataset) -> datasets_pb2.DatasetMessage:
    return datasets_pb2.DatasetMessage(dataset_hash=d.dataset_hash, title=d.title, description=d.description,
                                       owner_id=d.owner_id, unit_count=d.unit_count, created_at=_iso(d.created_at),
                                       last_edited_at=_iso(d.last_edited_at))


def unit_message(u: DataUnit, dataset_hash: str, metadata: str) -> datasets_pb2.DataUnitMessage:
    """A unit, from its row or from a page row; ``metadata`` is its client metadata as JSON text
    (page rows carry the stored text, which is not parsed just to be written again)."""
    return datasets_pb2.DataUnitMessage(
        data_hash=u.data_hash, title=u.title, data_type=u.data_type, media_type=u.media_type, width=u.width,
        height=u.height, frames=u.frames, fps=u.fps, duration=u.duration,
        client_metadata_json=metadata, created_at=_iso(u.created_at),
        dataset_hash=dataset_hash, size_bytes=u.size_bytes)


class DatasetsServicer(datasets_pb2_grpc.DatasetsServiceServicer):
    def __init__(self, deps: DatasetDeps) -> None:
        self.deps = deps

    async def CreateDataset(self, request, context):
        d = await manage.create_dataset(deps=self.deps, caller=principal(), title=request.title,
                                        description=request.description)
        return datasets_pb2.DatasetReply(dataset=dataset_message(d))

    async def ListDatasets(self, request, context):
        rows, token = await manage.list_datasets(deps=self.deps, caller=principal(), page_size=request.page_size,
                                                 page_token=request.page_token)
        return datasets_pb2.ListDatasetsResponse(datasets=[dataset_message(d) for d in rows], next_page_token=token)

    async def GetDataset(self, request, context):
        d = await manage.get_dataset(deps=self.deps, caller=principal(), dataset_hash=request.dataset_hash)
        return datasets_pb2.DatasetReply(dataset=dataset_message(d))

    async def UploadData(self, request_iterator, context):
        caller = principal()
        messages = request_iterator.__aiter__()
        first = await anext(messages, None)
        if first is None or first.WhichOneof("part") != "start":
            raise InvalidArgument("upload: the stream must begin with its start message")
        start = first.start
        metadata = parse_metadata(start.client_metadata_json)
        dataset = await begin_upload(deps=self.deps, caller=caller, dataset_hash=start.dataset_hash)
        spool = Spool(self.deps.limits)
        try:
            ended = False
            async for message in messages:
                part = message.WhichOneof("part")
                if part == "file":
                    own = parse_metadata(message.file.client_metadata_json)
                    spool.start(file_name=message.file.file_name, title=message.file.title,
                                client_metadata={**metadata, **own})
                elif part == "chunk":
                    spool.write(message.chunk.data)
                elif part == "end":
                    ended = True
                    break
                else:
                    raise InvalidArgument("upload: a second start message")
            if not ended:
                raise InvalidArgument("upload: the stream ended before its end message")
            if start.title and not start.group and len(spool.files) == 1:
                spool.files[0].title = start.title
            result = await finish_upload(deps=self.deps, caller=caller, dataset=dataset, spool=spool,
                                         group=start.group, group_title=start.title, client_metadata=metadata)
        finally:
            spool.close()
        units_out = [unit_message(u, dataset.dataset_hash, json.dumps(u.client_metadata)) for u in result.units]
        return datasets_pb2.UploadDataResponse(units=units_out, job_id=result.job_id)

    async def ListData(self, request, context):
        rows, token = await units.list_units(
            deps=self.deps, caller=principal(), dataset_hash=request.dataset_hash, page_size=request.page_size,
            page_token=request.page_token, title_prefix=request.title_prefix, title_contains=request.title_contains,
            data_type=request.data_type)
        page = [unit_message(r, request.dataset_hash, r.client_metadata_json) for r in rows]
        return datasets_pb2.ListDataResponse(units=page, next_page_token=token)

    async def DeleteData(self, request, context):
        await units.delete_unit(deps=self.deps, caller=principal(), dataset_hash=request.dataset_hash,
                                data_hash=request.data_hash)
        return common_pb2.Empty()

    async def AttachDataset(self, request, context):
        d = await manage.attach_dataset(deps=self.deps, caller=principal(), project_id=request.project_id,
                                        dataset_hash=request.dataset_hash)
        return datasets_pb2.DatasetReply(dataset=dataset_message(d))

    async def DetachDataset(self, request, context):
        await manage.detach_dataset(deps=self.deps, caller=principal(), project_id=request.project_id,
                                    dataset_hash=request.dataset_hash)
        return common_pb2.Empty()

    async def ListProjectDatasets(self, request, context):
        rows = await manage.project_datasets(deps=self.deps, caller=principal(), project_id=request.project_id)
        return datasets_pb2.ListDatasetsResponse(datasets=[dataset_message(d) for d in rows])

    async def GetData(self, request, context):
        view = await units.get_data(deps=self.deps, caller=principal(), project_id=request.project_id,
                                    data_hash=request.data_hash, get_signed_url=request.get_signed_url,
                                    expires_in=request.expires_in)
        u, links = view.unit, view.links
        reply = datasets_pb2.GetDataResponse(data_hash=u.data_hash, data_type=u.data_type, title=u.title)
        if u.data_type == "video":
            reply.video.CopyFrom(datasets_pb2.DataVideo(
                file_link=links.get(u.blob_key or "", ""), width=u.width or 0, height=u.height or 0,
                frames=u.frames or 0, fps=u.fps or 0.0, duration=u.duration or 0.0, media_type=u.media_type))
        reply.images.extend(image_messages(view))
        return reply

    async def DescribeUnits(self, request, context):
        described = await units.describe_units(deps=self.deps, caller=principal(),
                                               data_hashes=list(request.data_hashes),
                                               get_signed_url=request.get_signed_url, expires_in=request.expires_in)
        return datasets_pb2.DescribeUnitsResponse(units=[datasets_pb2.UnitDescription(
            unit=unit_message(view.unit, dataset.dataset_hash, json.dumps(view.unit.client_metadata)),
            dataset_title=dataset.title, file_link=view.links.get(view.unit.blob_key or "", ""),
            images=image_messages(view)) for view, dataset in described])


def image_messages(view) -> list[datasets_pb2.DataImageMessage]:
    u, links = view.unit, view.links
    return [datasets_pb2.DataImageMessage(
        image_hash=image.blob_key, title=image.orig_file_name or u.title, file_link=links.get(image.blob_key, ""),
        width=image.width, height=image.height, media_type=image.media_type, rank=image.rank,
        thumb_link=links.get(image.thumb_key or "", "")) for image in view.images]


class _OnFirstUse:
    """Builds the wrapped object on first use: the blob store and the signer are only opened
    once a request needs media."""

    def __init__(self, make) -> None:
        self._make, self._made = make, None

    def __getattr__(self, name: str):
        if self._made is None:
            self._made = self._make()
        return getattr(self._made, name)


def _blob_store(settings):
    from services.core.blobs import open_blob_store

    return open_blob_store(settings.resolved_blob_url())


def _signer(settings):
    from services.core.signing import MediaSigner

    return MediaSigner(settings.resolved_secret_key())


def dataset_deps(ctx, project_deps) -> DatasetDeps:
    """Built once per service context (the servicer and the upload job share it)."""
    if "dataset_deps" not in ctx.state:
        from services.projects.datasets_events import DatasetEvents
        from services.projects.domain.datasets.ports import Limits

        settings = ctx.settings
        limits = Limits(max_upload_bytes=settings.max_upload_bytes, max_image_pixels=settings.max_image_pixels,
                        thumbnail_size=settings.thumbnail_size, media_link_seconds=settings.media_link_seconds,
                        spool_dir=(settings.data_dir / "spool").resolve())
        ctx.state["dataset_deps"] = DatasetDeps(
            project=project_deps, events=DatasetEvents(ctx.bus), blobs=_OnFirstUse(lambda: _blob_store(settings)),
            signer=_OnFirstUse(lambda: _signer(settings)), jobs=ctx.jobs, limits=limits)
    return ctx.state["dataset_deps"]
