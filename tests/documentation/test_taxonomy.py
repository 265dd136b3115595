"""The crime-area taxonomy is seeded, hierarchical, named in the user's language and mapped to the
Global Organized Crime Index."""

from __future__ import annotations

from django.utils import translation

from ceiba.documentation.choices import GociMarket
from ceiba.documentation.models import CrimeArea
from ceiba.documentation.services import crime_areas_load

REQUIRED = {
    "cocaine_trafficking", "cannabis_trafficking", "heroin_trafficking", "synthetic_drug_trafficking",
    "migrant_smuggling", "trafficking_in_human_beings", "firearms_trafficking", "money_laundering",
    "corruption", "extortion", "kidnapping", "cybercrime", "fraud", "illegal_mining", "illegal_logging",
    "wildlife_trafficking", "counterfeit_goods", "excise_goods", "terrorism", "organised_property_crime",
}  # fmt: skip


def test_the_taxonomy_is_seeded_and_loading_again_changes_nothing(db) -> None:
    assert set(CrimeArea.objects.values_list("code", flat=True)) >= REQUIRED
    assert crime_areas_load() == 0
    assert CrimeArea.objects.get(code="illegal_logging").parent.code == "environmental_crime"


def test_every_goci_market_is_mapped(db) -> None:
    mapped = set(CrimeArea.objects.exclude(goci_market="").values_list("goci_market", flat=True))
    assert mapped == set(GociMarket.values) and len(GociMarket.values) == 15


def test_names_are_translatable(db) -> None:
    area = CrimeArea.objects.get(code="money_laundering")
    with translation.override("en"):
        assert area.name == "Money laundering"
