"""Synthetic EcoTaxa import archives: valid, varied and reproducible, for demos and load tests.

An archive holds one folder per sample with its TSV (``<sample>/ecotaxa_<sample>.tsv``) and its
PNG images. The zip is written entry by entry: a sample's TSV is streamed first, then its images,
which come from a pool of pre-rendered pictures, so memory stays flat whatever the object count.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import os
import random
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

COLUMNS: tuple[tuple[str, str], ...] = (
    ("object_id", "[t]"),
    ("object_lat", "[f]"),
    ("object_lon", "[f]"),
    ("object_date", "[t]"),
    ("object_time", "[t]"),
    ("object_depth_min", "[f]"),
    ("object_depth_max", "[f]"),
    ("object_annotation_category", "[t]"),
    ("object_annotation_status", "[t]"),
    ("object_annotation_person_name", "[t]"),
    ("object_annotation_person_email", "[t]"),
    ("object_annotation_date", "[t]"),
    ("object_annotation_time", "[t]"),
    ("img_file_name", "[t]"),
    ("img_rank", "[f]"),
    ("object_area", "[f]"),
    ("object_esd", "[f]"),
    ("object_feret", "[f]"),
    ("object_circ.", "[f]"),
    ("object_comment", "[t]"),
    ("sample_id", "[t]"),
    ("sample_ship", "[t]"),
    ("sample_station", "[t]"),
    ("acq_id", "[t]"),
    ("acq_instrument", "[t]"),
    ("acq_pixel_size", "[t]"),
    ("process_id", "[t]"),
    ("process_software", "[t]"),
)

# Names of the starter taxonomy (services/ontology/data/starter_taxonomy.tsv), with their weights.
CATEGORIES: tuple[tuple[str, float], ...] = (
    ("Copepoda", 0.14),
    ("Calanus", 0.06),
    ("Calanus finmarchicus", 0.13),
    ("Calanus helgolandicus", 0.10),
    ("Paracalanus parvus", 0.12),
    ("Acartia clausi", 0.12),
    ("Acartia tonsa", 0.06),
    ("Centropages typicus", 0.08),
    ("Temora longicornis", 0.08),
    ("Metridia lucens", 0.04),
    ("nauplii (Copepoda)", 0.07),
)

# Annotation statuses and their shares; "" is an unclassified object (no category either).
STATUSES: tuple[tuple[str, float], ...] = (
    ("predicted", 0.40),
    ("validated", 0.30),
    ("dubious", 0.10),
    ("discarded", 0.05),
    ("", 0.15),
)

OBJECTS_PER_SAMPLE = 500
SECOND_IMAGE_RATE = 0.1
POOL_SIZE = 512
PROGRESS_STEP = 1000

_STATIONS: tuple[tuple[str, float, float], ...] = (
    ("L4", 50.250, -4.217),
    ("Astan", 48.778, -3.937),
    ("Point B", 43.683, 7.317),
    ("Helgoland Roads", 54.183, 7.900),
    ("Stonehaven", 56.963, -2.104),
    ("Gironde", 45.500, -1.950),
    ("Station M", 66.000, 2.000),
    ("Bay of Biscay 3", 44.500, -3.500),
)
_SHIPS = ("Thalassa", "Côtes de la Manche", "Antédon II", "Sagitta", "Plymouth Quest")
_INSTRUMENTS: tuple[tuple[str, str, str], ...] = (  # instrument, pixel size (mm), processing software
    ("Zooscan", "0.0106", "Zooprocess_7.40"),
    ("Zooscan", "0.0212", "Zooprocess_7.40"),
    ("FlowCam", "0.0019", "VisualSpreadsheet_4.2"),
)
_COMMENTS = ("touching the frame", "two individuals overlapping", "débris attaché", "out of focus", "broken")
_COMMENT_RATE = 0.03
_FIRST_DAY = dt.date(2014, 1, 1)
_LAST_SAMPLE_DAY = dt.date(2016, 9, 30)  # leaves room for a second acquisition and the annotation dates
_ZIP_TIME = (2017, 1, 1, 0, 0, 0)  # fixed entry timestamps: same arguments, same archive bytes
_ZIP64_TSV_OBJECTS = 1_000_000  # a TSV of this many objects may pass 2 GiB


@dataclass(frozen=True)
class ArchiveSummary:
    """What an archive holds. ``statuses`` has every status of STATUSES ("" for unclassified);
    ``categories`` has the categories used ("" for none). Both count objects, not images."""

    objects: int
    images: int
    samples: int
    acquisitions: int
    statuses: dict[str, int]
    categories: dict[str, int]


@dataclass(frozen=True)
class _Picture:
    png: bytes
    area: str
    esd: str
    feret: str
    circ: str


def write_archive(path: Path, *, objects: int, samples: int | None = None, seed: int = 0,
                  annotators: Sequence[tuple[str, str]] = (),
                  progress: Callable[[int], None] | None = None) -> ArchiveSummary:
    """Write an EcoTaxa import zip of ``objects`` objects spread over ``samples`` samples (default:
    one per OBJECTS_PER_SAMPLE objects). Validated and dubious objects are attributed to one of the
    ``(name, email)`` annotators when some are given. ``progress(n)`` receives the number of objects
    written since its previous call. The file appears only once complete."""
    if objects < 1:
        raise ValueError("objects must be at least 1")
    if samples is None:
        samples = min(objects, max(1, round(objects / OBJECTS_PER_SAMPLE)))
    elif not 1 <= samples <= objects:
        raise ValueError(f"samples must be between 1 and {objects}")
    people = tuple((name.strip(), email.strip()) for name, email in annotators)
    for name, email in people:
        if not name or not email or any(c in name + email for c in "\t\r\n"):
            raise ValueError(f"invalid annotator {name!r} <{email!r}>")

    pool = _picture_pool(seed)
    tally = _Tally()
    tick = _Ticker(progress)
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w") as zf:
            for index in range(samples):
                count = objects // samples + (index < objects % samples)
                _write_sample(zf, name=f"st{index + 1:03d}", count=count, seed=seed, people=people,
                              pool=pool, tally=tally, tick=tick)
        tick.flush()
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return ArchiveSummary(objects=objects, images=tally.images, samples=samples,
                          acquisitions=tally.acquisitions,
                          statuses={status: tally.statuses[status] for status, _ in STATUSES},
                          categories=dict(sorted(tally.categories.items())))


class _Tally:
    def __init__(self) -> None:
        self.images = 0
        self.acquisitions = 0
        self.statuses: Counter[str] = Counter()
        self.categories: Counter[str] = Counter()


class _Ticker:
    """Reports written objects to a progress callback in steps of PROGRESS_STEP."""

    def __init__(self, progress: Callable[[int], None] | None) -> None:
        self.progress = progress
        self.pending = 0

    def __call__(self) -> None:
        self.pending += 1
        if self.pending >= PROGRESS_STEP:
            self.flush()

    def flush(self) -> None:
        if self.progress is not None and self.pending:
            self.progress(self.pending)
        self.pending = 0


def _write_sample(zf: zipfile.ZipFile, *, name: str, count: int, seed: int, people: tuple[tuple[str, str], ...],
                  pool: tuple[_Picture, ...], tally: _Tally, tick: _Ticker) -> None:
    rng = random.Random(f"{seed}/{name}/rows")
    station, station_lat, station_lon = rng.choice(_STATIONS)
    ship = rng.choice(_SHIPS)
    lat = station_lat + rng.uniform(-0.05, 0.05)
    lon = station_lon + rng.uniform(-0.05, 0.05)
    first_day = _FIRST_DAY + dt.timedelta(days=rng.randint(0, (_LAST_SAMPLE_DAY - _FIRST_DAY).days))
    acquisitions = 2 if count >= 2 and rng.random() < 0.5 else 1
    split = rng.randint(1, count - 1) if acquisitions == 2 else count  # first object of the second one
    tally.acquisitions += acquisitions

    tsv = _entry(f"{name}/ecotaxa_{name}.tsv", zipfile.ZIP_DEFLATED)
    with zf.open(tsv, "w", force_zip64=count >= _ZIP64_TSV_OBJECTS) as out:
        out.write(("\t".join(c for c, _ in COLUMNS) + "\n" + "\t".join(t for _, t in COLUMNS) + "\n").encode())
        lines: list[str] = []
        for k, images in zip(range(count), _image_plan(seed, name, count)):
            if k == 0 or k == split:
                day = first_day + dt.timedelta(days=int(k > 0))
                date = day.strftime("%Y%m%d")
                depth_min = rng.uniform(0, 150)
                depth_max = depth_min + rng.uniform(5, 100)
                instrument, pixel_size, software = rng.choice(_INSTRUMENTS)
                acq_id = f"{name}_a{1 + (k > 0)}"
                depths = f"{depth_min:.1f}\t{depth_max:.1f}"
                tail = "\t".join((name, ship, station, acq_id, instrument, pixel_size, f"{acq_id}_p", software))
            object_id = f"{name}_{k + 1:06d}"
            status = STATUSES[_pick(rng.random(), _STATUS_BOUNDS)][0]
            category = CATEGORIES[_pick(rng.random(), _CATEGORY_BOUNDS)][0] if status else ""
            who, when, at = "\t", "", ""  # name and email, date, time
            if status in ("validated", "dubious"):
                draw, offset, seconds = rng.random(), rng.randint(1, 90), rng.randrange(86400)
                if people:
                    who = "\t".join(people[int(draw * len(people))])
                    when = (day + dt.timedelta(days=offset)).strftime("%Y%m%d")
                    at = _hhmmss(seconds)
            comment = rng.choice(_COMMENTS) if rng.random() < _COMMENT_RATE else ""
            head = (f"{lat + rng.gauss(0, 0.004):.5f}\t{lon + rng.gauss(0, 0.004):.5f}\t{date}\t"
                    f"{_hhmmss(rng.randrange(86400))}\t{depths}\t{category}\t{status}\t{who}\t{when}\t{at}")
            picture = pool[images[0]]
            measures = f"{picture.area}\t{picture.esd}\t{picture.feret}\t{picture.circ}\t{comment}\t{tail}\n"
            for rank in range(len(images)):
                file_name = f"{object_id}_{rank}.png" if rank else f"{object_id}.png"
                lines.append(f"{object_id}\t{head}\t{file_name}\t{rank}\t{measures}")
            tally.statuses[status] += 1
            tally.categories[category] += 1
            if len(lines) >= 1000:
                out.write("".join(lines).encode())
                lines.clear()
        out.write("".join(lines).encode())

    for k, images in zip(range(count), _image_plan(seed, name, count)):
        object_id = f"{name}_{k + 1:06d}"
        for rank, picture in enumerate(images):
            file_name = f"{object_id}_{rank}.png" if rank else f"{object_id}.png"
            zf.writestr(_entry(f"{name}/{file_name}", zipfile.ZIP_STORED), pool[picture].png)
        tally.images += len(images)
        tick()


def _image_plan(seed: int, sample: str, count: int) -> Iterator[tuple[int, ...]]:
    """Pool indices of each object's images; replayed identically for the TSV and the images."""
    rng = random.Random(f"{seed}/{sample}/images")
    for _ in range(count):
        first = rng.randrange(POOL_SIZE)
        if rng.random() < SECOND_IMAGE_RATE:
            second = rng.randrange(POOL_SIZE - 1)
            yield first, second + (second >= first)
        else:
            yield (first,)


def _entry(name: str, compress_type: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = compress_type
    info.external_attr = 0o644 << 16
    return info


def _cumulative(choices: tuple[tuple[str, float], ...]) -> tuple[float, ...]:
    total, acc, bounds = sum(weight for _, weight in choices), 0.0, []
    for _, weight in choices:
        acc += weight
        bounds.append(acc / total)
    bounds[-1] = 1.0
    return tuple(bounds)


def _pick(u: float, cumulative: tuple[float, ...]) -> int:
    for i, bound in enumerate(cumulative):
        if u < bound:
            return i
    return len(cumulative) - 1


def _hhmmss(seconds: int) -> str:
    return f"{seconds // 3600:02d}{seconds // 60 % 60:02d}{seconds % 60:02d}"


_STATUS_BOUNDS = _cumulative(STATUSES)
_CATEGORY_BOUNDS = _cumulative(CATEGORIES)


@functools.lru_cache(maxsize=4)
def _picture_pool(seed: int) -> tuple[_Picture, ...]:
    """POOL_SIZE distinct pictures: a dark, soft-edged ellipse of random size and orientation, sometimes
    with two antennae, on a light noisy background."""
    rng = random.Random(f"{seed}/pictures")
    noise = np.random.default_rng(rng.getrandbits(64))
    pictures: list[_Picture] = []
    seen: set[bytes] = set()
    while len(pictures) < POOL_SIZE:
        picture = _render(rng, noise)
        if picture.png not in seen:
            seen.add(picture.png)
            pictures.append(picture)
    return tuple(pictures)


def _render(rng: random.Random, noise: np.random.Generator) -> _Picture:
    side = rng.randint(48, 96)
    a = side * rng.uniform(0.16, 0.38)  # semi-axes, pixels
    b = a * rng.uniform(0.3, 0.85)
    theta = rng.uniform(0, math.pi)
    cx = side / 2 + side * rng.uniform(-0.08, 0.08)
    cy = side / 2 + side * rng.uniform(-0.08, 0.08)
    background = rng.uniform(205, 240)
    ink = rng.uniform(25, 110)
    cos, sin = math.cos(theta), math.sin(theta)

    y, x = np.indices((side, side), dtype=np.float32) + np.float32(0.5)
    dx, dy = x - cx, y - cy
    r = np.sqrt(((dx * cos + dy * sin) / a) ** 2 + ((dy * cos - dx * sin) / b) ** 2)
    cover = np.clip((1 - r) * b + 0.5, 0, 1)  # about one pixel of soft edge
    pixels = background - (background - (ink + 35 * r * r)) * cover + noise.normal(0, 3.5, (side, side))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    if rng.random() < 0.7:
        draw = ImageDraw.Draw(image)
        tip = (cx + 0.9 * a * cos, cy + 0.9 * a * sin)
        for sign in (-1, 1):
            angle = theta + sign * rng.uniform(1.2, 1.9)
            length = a * rng.uniform(0.6, 1.3)
            draw.line([tip, (tip[0] + length * math.cos(angle), tip[1] + length * math.sin(angle))],
                      fill=int(ink + 30), width=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    area = int(np.count_nonzero(cover >= 0.5))
    perimeter = math.pi * (3 * (a + b) - math.sqrt((3 * a + b) * (a + 3 * b)))
    return _Picture(png=buffer.getvalue(), area=str(area), esd=f"{2 * math.sqrt(area / math.pi):.2f}",
                    feret=f"{2 * a:.2f}", circ=f"{min(1.0, 4 * math.pi * area / perimeter ** 2):.3f}")
