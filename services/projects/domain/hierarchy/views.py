"""Rows as EcoTaxa's models (SampleModel, AcquisitionModel, ProcessModel, ObjectModel, ImageModel),
in plain values. Classification fields belong to the labels service and are not set here."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from typing import Any

from services.projects import hierarchy_store as hs
from services.projects.domain.hierarchy.columns import free_columns
from services.projects.store import Project

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/tiff": "tif",
              "image/webp": "webp", "image/bmp": "bmp"}


def media_file_name(blob_key: str, media_type: str) -> str:
    """The name the media route serves a blob under: its key and the extension of its type."""
    ext = EXTENSIONS.get(media_type) or (mimetypes.guess_extension(media_type) or ".bin").lstrip(".")
    return f"{blob_key}.{ext}"


def sample_view(row: Mapping[str, Any], project: Project) -> dict:
    return {"sampleid": row["sampleid"], "projid": row["projid"], "orig_id": row["orig_id"],
            "latitude": row["latitude"], "longitude": row["longitude"],
            "dataportal_descriptor": row["dataportal_descriptor"] or "",
            "free_columns": free_columns(row, project.sample_free_cols)}


def acquisition_view(row: Mapping[str, Any], project: Project) -> dict:
    return {"acquisid": row["acquisid"], "acq_sample_id": row["acq_sample_id"], "orig_id": row["orig_id"],
            "instrument": row["instrument"] or "", "projid": row["projid"],
            "free_columns": free_columns(row, project.acquisition_free_cols)}


def process_view(row: Mapping[str, Any], project: Project) -> dict:
    return {"processid": row["processid"], "orig_id": row["orig_id"], "projid": row["projid"],
            "free_columns": free_columns(row, project.process_free_cols)}


def image_view(row: Mapping[str, Any], objid: int) -> dict:
    thumb = media_file_name(row["thumb_key"], "image/jpeg") if row["thumb_key"] else None
    return {"imgid": row["id"], "objid": objid, "imgrank": row["rank"],
            "file_name": media_file_name(row["blob_key"], row["media_type"]),
            "orig_file_name": row["orig_file_name"], "width": row["width"], "height": row["height"],
            "thumb_file_name": thumb, "thumb_width": row["thumb_width"], "thumb_height": row["thumb_height"],
            "blob_key": row["blob_key"], "media_type": row["media_type"]}


def object_view(found: hs.ObjectRow, project: Project) -> dict:
    h = found.head
    return {
        "objid": h["objid"], "acquisid": h["acquisid"], "sample_id": h["sampleid"], "project_id": h["projid"],
        "orig_id": h["orig_id"], "latitude": h["latitude"], "longitude": h["longitude"], "objdate": h["objdate"],
        "objtime": h["objtime"], "depth_min": h["depth_min"], "depth_max": h["depth_max"], "sunpos": h["sunpos"],
        "object_link": h["object_link"], "complement_info": h["complement_info"],
        "random_value": h["random_value"], "data_hash": found.data_hash,
        "images": [image_view(i, h["objid"]) for i in found.images],
        "free_columns": free_columns(found.fields or {}, project.obj_free_cols),
    }
