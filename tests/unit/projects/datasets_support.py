"""Dataset dependencies over the test world's database."""

from __future__ import annotations

from pathlib import Path

from services.projects.datasets_events import DatasetEvents
from services.projects.domain.datasets.ports import DatasetDeps, Limits


def dataset_world(world, tmp_path: Path, *, max_upload_bytes: int = 50 * 1024 * 1024, blobs=None,
                  signer=None, jobs=None) -> DatasetDeps:
    bus = world.deps.events._bus
    limits = Limits(max_upload_bytes=max_upload_bytes, max_image_pixels=50_000_000, thumbnail_size=64,
                    media_link_seconds=900, spool_dir=tmp_path / "spool")
    return DatasetDeps(project=world.deps, events=DatasetEvents(bus), blobs=blobs, signer=signer, jobs=jobs,
                       limits=limits)
