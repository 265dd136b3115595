"""What the STIX and MISP importers share: reading a JSON file, and finding crime areas and states by
their codes (one query each per import, not one per record)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ceiba.core.models import State

from ..models import CrimeArea
from .base import ImportAborted, RowError

#: Crime areas named by a label, a threat-actor type or a report type in a STIX object, or by a MISP
#: tag (lower case, "-" and " " read as "_"). A crime-area code itself is always understood. Labels
#: that name no single crime area ("criminal", "crime-syndicate") resolve to nothing.
LABEL_CRIME_AREAS: dict[str, str] = {
    "cocaine": "cocaine_trafficking",
    "cannabis": "cannabis_trafficking",
    "marijuana": "cannabis_trafficking",
    "heroin": "heroin_trafficking",
    "synthetic_drugs": "synthetic_drug_trafficking",
    "methamphetamine": "synthetic_drug_trafficking",
    "fentanyl": "synthetic_drug_trafficking",
    "drug_trafficking": "drug_trafficking",
    "human_smuggling": "migrant_smuggling",
    "human_trafficking": "trafficking_in_human_beings",
    "arms_trafficking": "firearms_trafficking",
    "weapons_trafficking": "firearms_trafficking",
    "laundering": "money_laundering",
    "extortion": "extortion",
    "kidnapping": "kidnapping",
    "ransomware": "cybercrime",
    "hacker": "cybercrime",
    "financial_crime": "fraud",
    "illegal_mining": "illegal_mining",
    "illegal_logging": "illegal_logging",
    "wildlife_trafficking": "wildlife_trafficking",
    "counterfeiting": "counterfeit_goods",
    "smuggling_of_excise_goods": "excise_goods",
    "terrorist": "terrorism",
    "terrorism": "terrorism",
}


def normalised_label(label: str) -> str:
    return label.strip().lower().replace("-", "_").replace(" ", "_")


def read_json(path: Path) -> Any:
    """The parsed JSON of a file, or `ImportAborted` saying why it is not JSON."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportAborted([RowError(None, "", _("The file is not UTF-8 text."))]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportAborted(
            [
                RowError(
                    None,
                    "",
                    _("The file is not valid JSON (line %(line)s, column %(column)s: %(reason)s).")
                    % {"line": error.lineno, "column": error.colno, "reason": error.msg},
                )
            ]
        ) from None


class Lookups:
    """Crime areas by code and states by ISO code, loaded once."""

    def __init__(self) -> None:
        self.crime_areas = {area.code: area for area in CrimeArea.objects.all()}
        self.states: dict[str, State] = {}
        for state in State.objects.all():
            self.states[state.iso2.upper()] = state
            self.states[state.iso3.upper()] = state

    def crime_area(self, code: str) -> CrimeArea | None:
        return self.crime_areas.get(normalised_label(code))

    def crime_area_of_labels(self, labels: list[str]) -> CrimeArea | None:
        """The first label that names a crime area (by its code or `LABEL_CRIME_AREAS`)."""
        for label in labels:
            code = normalised_label(label)
            area = self.crime_areas.get(code) or self.crime_areas.get(LABEL_CRIME_AREAS.get(code, ""))
            if area is not None:
                return area
        return None

    def state(self, code: str) -> State | None:
        return self.states.get(code.strip().upper())
