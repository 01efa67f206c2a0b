"""Encord-style datasets and data units: who may see and change them, uploads (synchronous or
through a job for archives), keyset listing and signed media links (docs/datasets.md)."""
