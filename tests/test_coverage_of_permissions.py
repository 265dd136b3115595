"""Every named page and endpoint has a permission matrix (so a new view cannot ship without one)."""

from __future__ import annotations

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests
from ceiba.common.testing.permissions import COVERED

NOT_OURS = {"django-admin"}  # Django's own admin, protected by is_staff + second factor


def named_patterns(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("django-admin"):
                continue
            ns = pattern.namespace or ""
            names |= named_patterns(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if pattern.name.endswith("-detail") and "format" in str(pattern.pattern):
                continue
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_named_view_has_a_permission_matrix() -> None:
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_") and ".e2e" not in module.name:
            importlib.import_module(module.name)
    missing = {name for name in named_patterns(get_resolver()) if name not in COVERED}
    missing = {name for name in missing if not name.endswith("api-root") or "api-root" not in COVERED}
    assert not missing, f"views without a permission matrix: {sorted(missing)}"
