"""The stateless helpers of the editor, for any reader of the project: interpolation between key
frames and tight boxes around shapes (services.labels.domain.geometry does the work)."""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from services.core.auth import Principal
from services.core.errors import InvalidArgument
from services.labels.domain.geometry.fitting import fit_bounding_boxes
from services.labels.domain.geometry.interpolation import interpolate
from services.labels.domain.labelling.ports import Deps
from services.labels.domain.labelling.rights import member_standing

MAX_SIDE = 100_000


def _frames(text: str, name: str) -> dict:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise InvalidArgument(f"{name}: not valid JSON") from None
    if not isinstance(value, dict):
        raise InvalidArgument(f"{name}: must be an object of frames")
    return value


async def interpolate_frames(*, deps: Deps, caller: Principal, project_id: int, key_frames_text: str,
                             object_hashes: Sequence[str]) -> str:
    await member_standing(deps=deps, caller=caller, project_id=project_id)
    frames = interpolate(key_frames=_frames(key_frames_text, "key_frames"), object_hashes=list(object_hashes))
    return orjson.dumps(frames).decode()


async def fit_boxes(*, deps: Deps, caller: Principal, project_id: int, frames_text: str, width: int,
                    height: int) -> str:
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise InvalidArgument(f"video: width and height between 1 and {MAX_SIDE}")
    await member_standing(deps=deps, caller=caller, project_id=project_id)
    fitted = fit_bounding_boxes(frames=_frames(frames_text, "frames"), width=width, height=height)
    return orjson.dumps(fitted).decode()
