"""The vocabulary of sharing (ARCHITECTURE.md §4): TLP 2.0 markings, handling codes, dissemination
scopes and grading schemes, as declarative data checked when the module is imported."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class TLP(models.TextChoices):
    """Traffic Light Protocol 2.0 (FIRST): what recipients may do with a record once they have it."""

    CLEAR = "clear", _("TLP:CLEAR")
    GREEN = "green", _("TLP:GREEN")
    AMBER = "amber", _("TLP:AMBER")
    AMBER_STRICT = "amber_strict", _("TLP:AMBER+STRICT")
    RED = "red", _("TLP:RED")


#: From least to most restrictive: aggregates carry the highest rank of their inputs.
TLP_ORDER: tuple[TLP, ...] = (TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT, TLP.RED)

TLP_DESCRIPTIONS: dict[str, Promise] = {
    TLP.CLEAR: _("Recipients may share it without limit."),
    TLP.GREEN: _("Recipients may share it within their community, not publicly."),
    TLP.AMBER: _(
        "Recipients may share it within their organisation and its clients on a need-to-know basis."
    ),
    TLP.AMBER_STRICT: _("Recipients may share it within their own organisation only."),
    TLP.RED: _("For the named recipients only; no further sharing."),
}


def tlp_rank(marking: str) -> int:
    """The position of a marking in TLP_ORDER (0 = CLEAR)."""
    return TLP_ORDER.index(TLP(marking))


def most_restrictive(markings: Iterable[str]) -> TLP:
    """The most restrictive of some markings; CLEAR when there are none."""
    return max((TLP(m) for m in markings), key=tlp_rank, default=TLP.CLEAR)


class HandlingCode(models.TextChoices):
    """Handling codes that travel with a record (Europol-style), set by the originator."""

    H0 = "H0", _("H0: use for crime prevention and analysis only")
    H1 = "H1", _("H1: not for judicial proceedings without the originator's consent")
    H2 = "H2", _("H2: no further dissemination without the originator's consent")
    H3 = "H3", _("H3: other restrictions (see conditions)")


#: Handling codes whose conditions must be written out.
HANDLING_CODES_WITH_CONDITIONS = frozenset({HandlingCode.H3})


class Scope(models.TextChoices):
    """Who receives a record, as chosen by its originator."""

    ORIGINATOR = "originator", _("Originator only")
    SECRETARIAT = "secretariat", _("Originator and secretariat")
    NAMED = "named", _("Named states and organisations")
    ALL_MEMBERS = "all_members", _("All member states")


#: Scopes a TLP:RED record may have: RED never reaches more than the originator and named recipients.
RED_SCOPES = frozenset({Scope.ORIGINATOR, Scope.SECRETARIAT, Scope.NAMED})


@dataclass(frozen=True)
class Grade:
    code: str
    label: Promise


@dataclass(frozen=True)
class GradingScheme:
    """A two-axis grading of the source and of the information."""

    code: str
    label: Promise
    reliability: tuple[Grade, ...]
    credibility: tuple[Grade, ...]

    def reliability_choices(self) -> list[tuple[str, str]]:
        return [(g.code, f"{g.code}: {g.label}") for g in self.reliability]

    def credibility_choices(self) -> list[tuple[str, str]]:
        return [(g.code, f"{g.code}: {g.label}") for g in self.credibility]

    def reliability_label(self, code: str) -> str:
        return next((f"{g.code}: {g.label}" for g in self.reliability if g.code == code), code)

    def credibility_label(self, code: str) -> str:
        return next((f"{g.code}: {g.label}" for g in self.credibility if g.code == code), code)


ADMIRALTY = GradingScheme(
    code="admiralty",
    label=_("Admiralty 6×6"),
    reliability=(
        Grade("A", _("Completely reliable")),
        Grade("B", _("Usually reliable")),
        Grade("C", _("Fairly reliable")),
        Grade("D", _("Not usually reliable")),
        Grade("E", _("Unreliable")),
        Grade("F", _("Reliability cannot be judged")),
    ),
    credibility=(
        Grade("1", _("Confirmed by other sources")),
        Grade("2", _("Probably true")),
        Grade("3", _("Possibly true")),
        Grade("4", _("Doubtful")),
        Grade("5", _("Improbable")),
        Grade("6", _("Truth cannot be judged")),
    ),
)

EUROPOL = GradingScheme(
    code="europol",
    label=_("Europol 4×4"),
    reliability=(
        Grade("A", _("No doubt about the source's authenticity, trustworthiness and competence")),
        Grade("B", _("Source has proved reliable in most instances")),
        Grade("C", _("Source has proved unreliable in most instances")),
        Grade("X", _("Reliability of the source cannot be assessed")),
    ),
    credibility=(
        Grade("1", _("No doubt about its accuracy")),
        Grade("2", _("Known personally to the source but not to the officer passing it on")),
        Grade("3", _("Not known personally to the source, but corroborated by information already held")),
        Grade("4", _("Not known personally to the source and cannot be corroborated")),
    ),
)

GRADING_SCHEMES: dict[str, GradingScheme] = {scheme.code: scheme for scheme in (ADMIRALTY, EUROPOL)}
DEFAULT_GRADING_SCHEME = ADMIRALTY.code


class GradingSchemeChoice(models.TextChoices):
    ADMIRALTY = ADMIRALTY.code, ADMIRALTY.label
    EUROPOL = EUROPOL.code, EUROPOL.label


def grading_errors(scheme: str, reliability: str, credibility: str) -> dict[str, Promise]:
    """Field errors for a grading that its scheme does not define (empty when it is valid)."""
    definition = GRADING_SCHEMES.get(scheme)
    if definition is None:
        return {"grading_scheme": _("Unknown grading scheme.")}
    errors: dict[str, Promise] = {}
    if reliability not in {g.code for g in definition.reliability}:
        errors["source_reliability"] = _("Choose a source reliability grade of the selected scheme.")
    if credibility not in {g.code for g in definition.credibility}:
        errors["information_credibility"] = _(
            "Choose an information credibility grade of the selected scheme."
        )
    return errors


def _check_vocabulary() -> None:
    """Fail at start-up, not in a user's request, if the declared vocabulary is inconsistent."""
    if set(TLP_ORDER) != set(TLP) or len(TLP_ORDER) != len(TLP):
        raise ImproperlyConfigured("TLP_ORDER must list every TLP marking exactly once")
    if set(TLP_DESCRIPTIONS) != set(TLP):
        raise ImproperlyConfigured("every TLP marking needs a description")
    if set(GRADING_SCHEMES) != set(GradingSchemeChoice.values):
        raise ImproperlyConfigured("GradingSchemeChoice must list every grading scheme")
    for scheme in GRADING_SCHEMES.values():
        for axis in (scheme.reliability, scheme.credibility):
            codes = [grade.code for grade in axis]
            if len(codes) != len(set(codes)) or not all(len(code) == 1 for code in codes):
                raise ImproperlyConfigured(
                    f"grading scheme {scheme.code}: grades must be unique single characters"
                )
    if not set(Scope) >= RED_SCOPES:
        raise ImproperlyConfigured("RED_SCOPES must be scopes")


_check_vocabulary()
