"""The EcoTaxa taxonomy tree."""

from fastapi import APIRouter

router = APIRouter(tags=["taxonomy"])
