"""The contract of an importer.

An importer reads one file into one contribution. It is atomic: it either stores every record or
raises `ImportAborted` with every row-level error it found, and then nothing it read is stored (the
caller runs it inside a transaction and the importer must not commit on its own). It is idempotent:
records carry a stable source identifier, so importing the same file again changes nothing.

Importers register themselves by kind with `register_importer`; the import runs, the upload page and
the `ceiba import KIND FILE` command find them in `IMPORTERS`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from ceiba.core.models import Organisation, User
    from ceiba.documentation.models import Contribution

#: Reports how far an import got, as a fraction between 0 and 1.
Progress = Callable[[float], None]


@dataclass(frozen=True)
class RowError:
    """One reason a file cannot land: the row (1-based, as a spreadsheet numbers it; None for the file
    as a whole), the column, field or property concerned ("" for the whole row) and a translated
    message."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ImportAborted(Exception):
    """The file cannot land whole. Nothing from it is stored."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportSummary:
    """What an import did: rows read, records created, updated and found unchanged."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImportRequest:
    """One file to import into one contribution.

    `originator` is the organisation the records are contributed by (the importing user's, in the
    contribution's state). `defaults` holds the marking, handling, dissemination and grading the user
    chose for records whose file carries none (keys are `SharedRecord` field names: tlp, handling_code,
    handling_conditions, scope, grading_scheme, source_reliability, information_credibility).
    `options` holds what is particular to one importer (a column mapping, a sheet name...)."""

    path: Path
    contribution: Contribution
    originator: Organisation
    user: User | None
    defaults: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


class Importer(ABC):
    """One kind of file. Subclasses set `kind`, `label` and `extensions` and implement `run`."""

    kind: ClassVar[str]
    label: ClassVar[StrOrPromise]
    extensions: ClassVar[tuple[str, ...]]

    @abstractmethod
    def run(self, request: ImportRequest, progress: Progress) -> ImportSummary:
        """Import the file or raise `ImportAborted` with every error found (storing nothing)."""


IMPORTERS: dict[str, type[Importer]] = {}


def register_importer(cls: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer available by its kind."""
    if cls.kind in IMPORTERS and IMPORTERS[cls.kind] is not cls:
        raise ValueError(f"Two importers claim the kind {cls.kind!r}.")
    IMPORTERS[cls.kind] = cls
    return cls
