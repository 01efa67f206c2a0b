"""Validation of project fields (EcoTaxa's ProjectModel rules), with EcoTaxa's messages."""

from __future__ import annotations

import ast
from typing import Any, Collection, Mapping

from services.core.errors import InvalidArgument
from services.core.roles import ANNOTATE, MANAGE, RIGHT_LEVEL, VIEW
from services.projects.domain.types import MemberPlan, UpdatePlan

UNKNOWN_INSTRUMENT = "?"
DEFAULT_STATUS = "Annotate"
DEFAULT_LICENSE = "Copyright"
LICENSES = ("CC0 1.0", "CC BY 4.0", "CC BY-NC 4.0", "Copyright", "")
STATUSES = ("Annotate", "ExploreOnly", "Annotate No Prediction")
BODC_KEYS = ("subsample_coef", "total_water_volume", "individual_volume")

# Column limits, so oversized input is refused with a message instead of failing in the database.
MAX_SHORT = 255
MAX_TEXT = 65_536
MAX_TAXA = 10_000

# What update_project writes. Everything else in a ProjectModel (free columns, projid, counters,
# classifsettings, rf_models_used, highest_right, Encord extras) is ignored, as in EcoTaxa.
TEXT_FIELDS = ("description", "comments", "classiffieldlist", "popoverfieldlist")
WRITABLE_FIELDS = ("title", "instrument", "visible", "status", "license", "cnn_network_id", "init_classif_list",
                   "bodc_variables", *TEXT_FIELDS)
MEMBER_FIELDS = ("managers", "annotators", "viewers", "contact")


def _too_long(name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise InvalidArgument(f"{name} is too long (max {limit} characters).")


def clean_title(title: str | None) -> str:
    title = (title or "").strip()
    if not title:
        raise InvalidArgument("A valid Title is needed.")
    _too_long("title", title, MAX_SHORT)
    return title


def clean_instrument(instrument: str | None, *, default: str | None = None) -> str:
    instrument = (instrument or "").strip()
    if not instrument and default is not None:
        return default
    if not instrument:
        raise InvalidArgument("A valid Instrument is needed.")
    _too_long("instrument", instrument, MAX_SHORT)
    return instrument


def clean_text(name: str, value: str | None, *, limit: int = MAX_TEXT) -> str:
    value = value or ""
    _too_long(name, value, limit)
    return value


def clean_status(status: str | None) -> str:
    if status not in STATUSES:
        raise InvalidArgument(f"Invalid project status: {status}")
    return status


def clean_license(license_: str | None) -> str:
    if license_ not in LICENSES:
        raise InvalidArgument(f"Invalid license: {license_}")
    return license_


def clean_bodc_variables(variables: Mapping[str, str | None]) -> dict[str, str]:
    """Only EcoTaxa's three keys; each formula must at least parse as a Python expression.
    An empty formula unsets the variable."""
    kept: dict[str, str] = {}
    errors: list[str] = []
    for key, formula in variables.items():
        if key not in BODC_KEYS:
            raise InvalidArgument(f"Invalid project variable key: {key}")
        formula = (formula or "").strip()
        if not formula:
            continue
        _too_long(key, formula, MAX_SHORT * 8)
        try:
            ast.parse(formula, mode="eval")
        except SyntaxError as exc:
            errors.append(f"{key}: {exc.msg}")
            continue
        kept[key] = formula
    if errors:
        raise InvalidArgument(f"There are formula errors: {errors}")
    return kept


def clean_taxa(taxa: Collection[int]) -> list[int]:
    if len(taxa) > MAX_TAXA:
        raise InvalidArgument(f"init_classif_list is too long (max {MAX_TAXA} taxa).")
    seen: dict[int, None] = {}
    for taxon in taxa:
        seen.setdefault(int(taxon), None)
    return list(seen)


def plan_members(*, managers: Collection[int], annotators: Collection[int], viewers: Collection[int],
                 contact_id: int | None) -> MemberPlan:
    """The privilege rewrite. A user listed twice keeps the highest right."""
    if contact_id is None:
        raise InvalidArgument("A valid Contact is needed.")
    rights: dict[int, str] = {}
    for right, user_ids in ((MANAGE, managers), (ANNOTATE, annotators), (VIEW, viewers)):
        for user_id in user_ids:
            held = rights.get(user_id)
            if held is None or RIGHT_LEVEL[right] > RIGHT_LEVEL[held]:
                rights[user_id] = right
    if rights.get(contact_id) != MANAGE:
        raise InvalidArgument("Could not set Contact, the designated user is not in Managers list.")
    return MemberPlan(rights=tuple(rights.items()), contact_id=contact_id)


def plan_update(*, values: Mapping[str, Any], present: Collection[str]) -> UpdatePlan:
    """Validate the present fields of an update. ``values`` holds the request's fields (ids for
    the member lists, the contact's id or None)."""
    present = set(present)
    fields: dict[str, Any] = {}
    if "instrument" in present:
        fields["instrument"] = clean_instrument(values.get("instrument"))
    members_present = bool(present & set(MEMBER_FIELDS))
    if members_present and values.get("contact") is None:
        raise InvalidArgument("A valid Contact is needed.")
    if "title" in present:
        fields["title"] = clean_title(values.get("title"))
    if "visible" in present:
        fields["visible"] = bool(values.get("visible"))
    if "status" in present:
        fields["status"] = clean_status(values.get("status"))
    if "license" in present:
        fields["license"] = clean_license(values.get("license"))
    if "cnn_network_id" in present:
        fields["cnn_network_id"] = clean_text("cnn_network_id", values.get("cnn_network_id"), limit=MAX_SHORT)
    for name in TEXT_FIELDS:
        if name in present:
            fields[name] = clean_text(name, values.get(name))
    if "init_classif_list" in present:
        fields["init_classif_list"] = clean_taxa(values.get("init_classif_list") or ())
    if "bodc_variables" in present:
        fields["bodc_variables"] = clean_bodc_variables(values.get("bodc_variables") or {})
    members = None
    if members_present:
        members = plan_members(
            managers=values.get("managers") or (), annotators=values.get("annotators") or (),
            viewers=values.get("viewers") or (), contact_id=values.get("contact"),
        )
    return UpdatePlan(fields=fields, members=members)
