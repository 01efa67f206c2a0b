"""What the dataset operations need: the project ports (rights), events, the blob store, the
media signer, the job queue and the limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.core.blobs import BlobStore
from services.projects.datasets_events import DatasetEvents
from services.projects.domain.ports import Deps


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int
    max_image_pixels: int
    thumbnail_size: int
    media_link_seconds: int
    spool_dir: Path
    max_zip_members: int = 100_000


@dataclass(frozen=True)
class DatasetDeps:
    project: Deps
    events: DatasetEvents
    blobs: BlobStore
    signer: Any          # services.core.signing.MediaSigner
    jobs: Any            # services.core.jobs.JobQueue
    limits: Limits

    @property
    def db(self):
        return self.project.db
