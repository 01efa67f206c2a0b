"""Encord-style ontologies and their attachment to projects."""

from fastapi import APIRouter

router = APIRouter(tags=["ontologies"])
