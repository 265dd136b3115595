"""The serving process settles once before its first request (config/wsgi.py)."""

from __future__ import annotations

import gc
import importlib

from django.urls import get_resolver

from ceiba.common.runtime import settle


def test_settle_loads_the_urls_and_freezes_what_is_loaded() -> None:
    try:
        frozen = settle()
        assert frozen == gc.get_freeze_count()
        assert frozen > 10_000  # modules, classes and URL patterns: far more than a request creates
        assert get_resolver().url_patterns  # loaded
        assert gc.isenabled()
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0


def test_the_wsgi_module_serves_after_settling() -> None:
    try:
        module = importlib.import_module("config.wsgi")
        gc.unfreeze()
        module = importlib.reload(module)  # runs it again, even if another test imported it
        assert callable(module.application)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
