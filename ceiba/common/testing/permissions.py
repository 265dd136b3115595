"""Generate permission-matrix tests: one test per persona (anonymous, each role, each role of another
state) for a view or API endpoint, asserting the status each one must get.

    test_state_edit = permission_matrix(
        "core:state_edit",
        url=lambda world: reverse("core:state_edit", args=["ARG"]),
        expect={"anonymous": 302, "secretariat_admin": 200},
        default=403,
    )

Every persona must have an expectation (explicit or `default`), so adding a persona makes every
matrix say what it gets. The registry of covered URL names lets a test check that every view has one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pytest

#: Names of the URL patterns covered by a matrix (filled when test modules are imported).
COVERED: set[str] = set()

#: The personas every matrix covers; a project's conftest provides `persona_client(name)`.
PERSONAS: tuple[str, ...] = (
    "anonymous",
    "secretariat_admin",
    "secretariat_analyst",
    "national_focal_point",
    "national_analyst",
    "national_focal_point@other_state",
    "national_analyst@other_state",
    "committee_delegate@other_state",
    "action_participant",
    "forum_participant",
)


def expectations(
    expect: Mapping[str, int], default: int | None, personas: Iterable[str] = PERSONAS
) -> dict[str, int]:
    unknown = set(expect) - set(personas)
    if unknown:
        raise ValueError(f"unknown personas in matrix: {sorted(unknown)}")
    result: dict[str, int] = {}
    for persona in personas:
        if persona in expect:
            result[persona] = expect[persona]
        elif default is not None:
            result[persona] = default
        else:
            raise ValueError(f"no expectation for persona {persona!r} and no default")
    return result


def permission_matrix(
    url_name: str,
    *,
    url: Callable[[Any], str],
    expect: Mapping[str, int],
    default: int | None = None,
    method: str = "get",
    data: Callable[[Any], Any] | Mapping[str, Any] | None = None,
    content_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Callable[..., None]:
    """Build a parametrised pytest test covering every persona for one view or endpoint."""
    table = expectations(expect, default)
    COVERED.add(url_name)

    @pytest.mark.django_db
    @pytest.mark.parametrize("persona", list(table))
    def test(persona: str, world: Any, persona_client: Callable[[str], Any]) -> None:
        client = persona_client(persona)
        payload = data(world) if callable(data) else data
        kwargs: dict[str, Any] = {"headers": dict(headers or {})}
        if content_type:
            kwargs["content_type"] = content_type
        target = url(world)
        response = getattr(client, method)(target, payload, **kwargs)
        got, expected = response.status_code, table[persona]
        assert got == expected, f"{persona} got {got} on {method.upper()} {target}, expected {expected}"

    test.__name__ = f"test_permissions_{url_name.replace(':', '_').replace('-', '_')}"
    return test
