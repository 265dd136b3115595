"""The crime-area taxonomy: stable codes, their parent, their translatable names and the Global
Organized Crime Index market each maps to (where one exists). `crime_areas_sync` stores it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import GociMarket


@dataclass(frozen=True)
class CrimeAreaDefinition:
    code: str
    name: Promise
    parent: str = ""
    goci_market: str = ""


#: In display order. Codes are stable: data, imports and other systems refer to them.
CRIME_AREAS: tuple[CrimeAreaDefinition, ...] = (
    CrimeAreaDefinition("drug_trafficking", _("Drug trafficking")),
    CrimeAreaDefinition(
        "cocaine_trafficking", _("Cocaine trafficking"), "drug_trafficking", GociMarket.COCAINE_TRADE
    ),
    CrimeAreaDefinition(
        "cannabis_trafficking", _("Cannabis trafficking"), "drug_trafficking", GociMarket.CANNABIS_TRADE
    ),
    CrimeAreaDefinition(
        "heroin_trafficking", _("Heroin trafficking"), "drug_trafficking", GociMarket.HEROIN_TRADE
    ),
    CrimeAreaDefinition(
        "synthetic_drug_trafficking",
        _("Synthetic-drug trafficking"),
        "drug_trafficking",
        GociMarket.SYNTHETIC_DRUG_TRADE,
    ),
    CrimeAreaDefinition("migrant_smuggling", _("Migrant smuggling"), "", GociMarket.HUMAN_SMUGGLING),
    CrimeAreaDefinition(
        "trafficking_in_human_beings", _("Trafficking in human beings"), "", GociMarket.HUMAN_TRAFFICKING
    ),
    CrimeAreaDefinition("firearms_trafficking", _("Firearms trafficking"), "", GociMarket.ARMS_TRAFFICKING),
    CrimeAreaDefinition("economic_crime", _("Economic and financial crime")),
    CrimeAreaDefinition(
        "money_laundering", _("Money laundering"), "economic_crime", GociMarket.FINANCIAL_CRIMES
    ),
    CrimeAreaDefinition("corruption", _("Corruption"), "economic_crime"),
    CrimeAreaDefinition(
        "fraud", _("Fraud and financial crime"), "economic_crime", GociMarket.FINANCIAL_CRIMES
    ),
    CrimeAreaDefinition("extortion", _("Extortion and protection racketeering"), "", GociMarket.EXTORTION),
    CrimeAreaDefinition("kidnapping", _("Kidnapping")),
    CrimeAreaDefinition("cybercrime", _("Cybercrime"), "", GociMarket.CYBER_DEPENDENT_CRIMES),
    CrimeAreaDefinition("environmental_crime", _("Environmental crime")),
    CrimeAreaDefinition(
        "illegal_mining", _("Illegal mining"), "environmental_crime", GociMarket.NON_RENEWABLE_RESOURCE_CRIMES
    ),
    CrimeAreaDefinition(
        "illegal_logging", _("Illegal logging"), "environmental_crime", GociMarket.FLORA_CRIMES
    ),
    CrimeAreaDefinition(
        "wildlife_trafficking", _("Wildlife trafficking"), "environmental_crime", GociMarket.FAUNA_CRIMES
    ),
    CrimeAreaDefinition("counterfeit_and_excise_goods", _("Counterfeit and excise goods")),
    CrimeAreaDefinition(
        "counterfeit_goods",
        _("Counterfeit goods"),
        "counterfeit_and_excise_goods",
        GociMarket.COUNTERFEIT_GOODS,
    ),
    CrimeAreaDefinition(
        "excise_goods",
        _("Illicit trade in excise goods"),
        "counterfeit_and_excise_goods",
        GociMarket.EXCISE_GOODS,
    ),
    CrimeAreaDefinition("terrorism", _("Terrorism")),
    CrimeAreaDefinition("organised_property_crime", _("Organised property crime")),
)

CRIME_AREA_NAMES: dict[str, Promise] = {area.code: area.name for area in CRIME_AREAS}


def _check() -> None:
    codes = [area.code for area in CRIME_AREAS]
    assert len(codes) == len(set(codes)), "crime-area codes must be unique"
    for index, area in enumerate(CRIME_AREAS):
        assert not area.parent or area.parent in codes[:index], f"{area.code}: parent must come first"
        assert not area.goci_market or area.goci_market in GociMarket.values, area.code


_check()


def crime_areas_sync(model: Any) -> int:
    """Create or update the stored taxonomy from CRIME_AREAS (idempotent); returns the rows written.
    Takes the model class so that data migrations can pass their historical model."""
    written = 0
    stored = {area.code: area for area in model.objects.all()}
    for position, definition in enumerate(CRIME_AREAS):
        parent = stored.get(definition.parent) if definition.parent else None
        wanted = {
            "parent_id": parent.pk if parent else None,
            "goci_market": definition.goci_market,
            "position": position,
        }
        row = stored.get(definition.code)
        if row is None:
            row = model.objects.create(code=definition.code, **wanted)
            stored[definition.code] = row
            written += 1
        elif any(getattr(row, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(row, key, value)
            row.save()
            written += 1
    return written
