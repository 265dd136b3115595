"""What a serving process does once, after loading and before its first request."""

from __future__ import annotations

import gc

from django.urls import get_resolver


def settle() -> int:
    """Load what the first request would load anyway (the URL patterns, and with them every view
    module), then move every object loaded so far out of reach of the garbage collector's full
    passes (`gc.freeze()`): modules, classes, URL patterns and settings live as long as the process,
    and scanning them again and again cost about 170 ms once every dozen requests (measured with
    bench/browse.py; docs/decisions/0033-search-and-attachments.md). Under gunicorn's pre-fork
    model the frozen pages also stay shared between workers. Returns how many objects are frozen."""
    get_resolver().url_patterns  # noqa: B018 - imports the views
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
