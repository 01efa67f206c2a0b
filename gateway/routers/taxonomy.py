"""EcoTaxa's TaxonomyTreeApi (0.0.37): root taxa, one taxon, search, several taxa; plus Copepod's
taxon creation. JSON shapes follow EcoTaxa's TaxonModel and TaxaSearchRsp; Copepod adds
``parent_id``, ``rank``, ``aphia_id`` and ``status``, which EcoTaxa clients ignore."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from copepod.v1 import taxonomy_pb2
from gateway.deps import CurrentUser, OptionalUser, Services, TextOnlyBody
from gateway.schemas import INT64_MAX, Int64

router = APIRouter(tags=["Taxonomy Tree"])

RPC_TIMEOUT = 30
MAX_QUERY_IDS = 10_000
MAX_QUERY_LENGTH = 200
# EcoTaxa's public search answers nothing for queries shorter than this.
ANONYMOUS_MIN_QUERY = 3
TaxonId = Annotated[int, Path(description="Internal, the unique numeric id of this taxon.", examples=[12876],
                              ge=0, le=INT64_MAX)]


class TaxonModel(BaseModel):
    id: Int64 = Field(description="The taxon/category IDs.", examples=[1])
    renm_id: Int64 | None = Field(None, description="The advised replacement ID if the taxon/category is "
                                                    "deprecated.")
    name: str = Field(description="The taxon/category verbatim name.", examples=["living"])
    type: str = Field(description="The taxon/category type, 'M' for Morpho or 'P' for Phylo.", examples=["P"])
    nb_objects: int = Field(description="How many objects are classified in this category.")
    nb_children_objects: int = Field(description="How many objects are classified in this category children "
                                                 "(not itself).")
    display_name: str = Field(description="The taxon/category display name.", examples=["living<"])
    lineage: list[str] = Field(description="The taxon/category name of ancestors, including self, in first.")
    id_lineage: list[Int64] = Field(description="The taxon/category IDs of ancestors, including self, in first.")
    children: list[Int64] = Field(description="The taxon/category IDs of children.")
    parent_id: Int64 | None = Field(None, description="The parent's id; none for a root (Copepod).")
    rank: str = Field("", description="The taxonomic rank, e.g. 'Genus' (Copepod).")
    aphia_id: Int64 | None = Field(None, description="The WoRMS AphiaID, when known (Copepod).")
    status: str = Field("A", description="'A' active, 'D' deprecated (Copepod).")


class TaxaSearchRsp(BaseModel):
    id: Int64 = Field(description="The taxon/category IDs.", examples=[14334])
    renm_id: Int64 | None = Field(None, description="The advised replacement ID if the taxon/category is "
                                                    "deprecated.")
    text: str = Field(description="The taxon name, display one.", examples=["Bangia"])
    pr: int = Field(description="1 if the taxon is in project list, 0 otherwise.", examples=[0])


class CreateTaxonReq(BaseModel):
    model_config = {"title": "Create taxon request Model", "extra": "forbid"}

    name: str = Field(min_length=1, max_length=200, description="The taxon/category verbatim name.",
                      examples=["Calanus sinicus"])
    parent_id: Int64 = Field(description="The id of the parent taxon.", examples=[10])
    rank: str = Field("", max_length=64, description="The taxonomic rank.", examples=["Species"])
    type: Literal["P", "M"] = Field("P", description="'P' for Phylo, 'M' for Morpho.")
    aphia_id: Int64 | None = Field(None, gt=0, description="The WoRMS AphiaID, when known.")


def taxon_json(t: taxonomy_pb2.Taxon) -> dict:
    return {
        "id": t.id, "renm_id": t.rename_to if t.HasField("rename_to") else None, "name": t.name, "type": t.type,
        "nb_objects": t.nbrobj, "nb_children_objects": max(0, t.nbrobjcum - t.nbrobj),
        "display_name": t.display_name, "lineage": list(t.lineage), "id_lineage": list(t.id_lineage),
        "children": list(t.children), "parent_id": t.parent_id if t.HasField("parent_id") else None,
        "rank": t.rank, "aphia_id": t.aphia_id if t.HasField("aphia_id") else None, "status": t.status,
    }


def parse_ids(text: str) -> list[int]:
    """EcoTaxa's id list: numbers separated by any non-digit."""
    numbers = re.findall(r"\d+", text)
    if len(numbers) > MAX_QUERY_IDS:
        raise _invalid("ids", f"at most {MAX_QUERY_IDS} ids")
    ids = []
    for n in numbers:
        if len(n) > 19 or int(n) > INT64_MAX:
            raise _invalid("ids", f"{n[:25]} is not a valid id")
        ids.append(int(n))
    return ids


def _invalid(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("query", field), "msg": message, "input": None}])


@router.get("/taxa", operation_id="query_root_taxa", summary="Query Root Taxa", response_model=list[TaxonModel])
async def query_root_taxa(caller: OptionalUser, svc: Services) -> list[dict]:
    """**Return all taxa with no parent.**"""
    rsp = await svc.taxonomy.GetRoots(taxonomy_pb2.GetRootsRequest(), metadata=caller.metadata,
                                      timeout=RPC_TIMEOUT)
    return [taxon_json(t) for t in rsp.taxa]


@router.get("/taxon/{taxon_id}", operation_id="query_taxa", summary="Query Taxa", response_model=TaxonModel)
async def query_taxa(taxon_id: TaxonId, caller: OptionalUser, svc: Services) -> dict:
    """Returns **information about the taxon** corresponding to the given id, including its lineage."""
    rsp = await svc.taxonomy.GetTaxon(taxonomy_pb2.GetTaxonRequest(taxon_id=taxon_id), metadata=caller.metadata,
                                      timeout=RPC_TIMEOUT)
    return taxon_json(rsp.taxon)


@router.get("/taxon_set/search", operation_id="search_taxa", summary="Search Taxa",
            response_model=list[TaxaSearchRsp])
async def search_taxa(
    caller: OptionalUser,
    svc: Services,
    query: Annotated[str, Query(max_length=MAX_QUERY_LENGTH, examples=["Ban"],
                                description="Use this query for matching returned taxa names.")],
    project_id: Annotated[int | None, Query(ge=0, le=INT64_MAX, examples=[1],
                                            description="Internal, numeric id of the project.")] = None,
    nb_results: Annotated[int, Query(ge=1, le=10_000, description="How many results at most (Copepod).")] = 200,
) -> list[dict]:
    """**Search for taxa by name**: exact names first, then names and display names starting with the
    query, then those with a word starting with it; alphabetical within each group. A public call
    with a query shorter than 3 characters returns nothing, as in EcoTaxa."""
    if caller.user_id is None and len(query.strip()) < ANONYMOUS_MIN_QUERY:
        return []
    rsp = await svc.taxonomy.SearchTaxa(taxonomy_pb2.SearchTaxaRequest(query=query, nb_results=nb_results),
                                        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return [{"id": h.id, "renm_id": h.rename_to if h.HasField("rename_to") else None, "text": h.text, "pr": 0}
            for h in rsp.hits]


@router.get("/taxon_set/query", operation_id="query_taxa_set", summary="Query Taxa Set",
            response_model=list[TaxonModel])
async def query_taxa_set(
    caller: OptionalUser,
    svc: Services,
    ids: Annotated[str, Query(max_length=200_000, examples=["1:2:3"],
                              description="The separator between numbers is arbitrary non-digit, e.g. ':', '|' "
                                          "or ','.")],
) -> list[dict]:
    """Returns **information about several taxa**, including their lineage."""
    wanted = parse_ids(ids)
    if not wanted:
        return []
    rsp = await svc.taxonomy.QueryTaxa(taxonomy_pb2.QueryTaxaRequest(ids=wanted), metadata=caller.metadata,
                                       timeout=RPC_TIMEOUT)
    return [taxon_json(t) for t in rsp.taxa]


@router.post("/taxa", operation_id="create_taxon", summary="Create Taxon", response_model=TaxonModel,
             dependencies=[TextOnlyBody])
async def create_taxon(body: CreateTaxonReq, caller: CurrentUser, svc: Services) -> dict:
    """**Create a taxon** under an existing one and return it (Copepod). Application administrators
    and users who manage at least one project may do so. Homonyms get EcoTaxa's `name<parent`
    display name."""
    req = taxonomy_pb2.CreateTaxonRequest(name=body.name, parent_id=body.parent_id, rank=body.rank,
                                          type=body.type, aphia_id=body.aphia_id)
    rsp = await svc.taxonomy.CreateTaxon(req, metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return taxon_json(rsp.taxon)
