"""Garbage-collector settings for long-running processes.

Everything loaded while a process starts (modules, protobuf descriptors, routes, the ontology
index…) lives as long as the process. Left in the collector's generations, each full collection
walks all of it again — tens of milliseconds at random moments, which is what a request's p99
sees. ``settle`` moves it out of the collector's reach once start-up is done."""

from __future__ import annotations

import gc


def settle() -> None:
    gc.collect()
    gc.freeze()
