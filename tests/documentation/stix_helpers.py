"""Running the STIX and MISP importers in tests, as the import runs will: inside a transaction, for a
national analyst's contribution. Everything imported here is synthetic."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.db import transaction

from ceiba.core.models import Membership
from ceiba.documentation.interchange.base import IMPORTERS, ImportRequest, ImportSummary
from ceiba.documentation.models import Contribution

FIXTURES = Path(__file__).parent / "fixtures"

DEFAULTS = {
    "tlp": "amber",
    "handling_code": "H0",
    "scope": "secretariat",
    "grading_scheme": "admiralty",
    "source_reliability": "C",
    "information_credibility": "3",
}


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def write(tmp_path: Path, content: Any, name: str = "file.json") -> Path:
    path = tmp_path / name
    if isinstance(content, (bytes, str)):
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def run_import(
    world: SimpleNamespace,
    contribution: Contribution,
    path: Path,
    *,
    kind: str = "stix",
    persona: str = "national_analyst",
    options: dict[str, Any] | None = None,
    defaults: dict[str, Any] | None = None,
) -> ImportSummary:
    user = world.users[persona]
    originator = (
        Membership.objects.active()
        .filter(user=user, organisation__state=contribution.state)
        .select_related("organisation")
        .first()
    )
    assert originator is not None
    request = ImportRequest(
        path=path,
        contribution=contribution,
        originator=originator.organisation,
        user=user,
        defaults=defaults if defaults is not None else dict(DEFAULTS),
        options=options or {},
    )
    fractions: list[float] = []
    with transaction.atomic():
        summary = IMPORTERS[kind]().run(request, fractions.append)
    assert not fractions or fractions[-1] == 1.0
    return summary
