"""Entity records for tests, made through the services. Every person, company and vessel here is
invented (synthetic)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from ceiba.documentation import entity_services
from ceiba.documentation.models import Contribution, EntityRecord
from ceiba.sharing.choices import TLP, Scope

from .factories import DRAFTERS, contribution_for, open_cycle, report_in, submit


def entity_in(
    world: SimpleNamespace,
    contribution: Contribution,
    *,
    schema: str = "Person",
    properties: dict[str, list[str]] | None = None,
    ftm_id: str | None = None,
    tlp: str = TLP.AMBER,
    scope: str = Scope.SECRETARIAT,
    **extra: Any,
) -> EntityRecord:
    analyst, _focal = DRAFTERS[contribution.state.iso3]
    return entity_services.entity_record_create(
        contribution=contribution,
        actor=world.users[analyst],
        schema=schema,
        properties=properties or {"name": ["Ana Synthetic"]},
        ftm_id=ftm_id,
        tlp=tlp,
        scope=scope,
        source_reliability="B",
        information_credibility="2",
        **extra,
    )


def link_in(
    world: SimpleNamespace,
    contribution: Contribution,
    schema: str,
    source: EntityRecord,
    target: EntityRecord,
    *,
    tlp: str = TLP.AMBER,
    scope: str = Scope.SECRETARIAT,
) -> EntityRecord:
    analyst, _focal = DRAFTERS[contribution.state.iso3]
    return entity_services.entity_link_create(
        contribution=contribution,
        actor=world.users[analyst],
        schema=schema,
        source=source.entity,
        target=target.entity,
        tlp=tlp,
        scope=scope,
        source_reliability="B",
        information_credibility="2",
    )


def argentine_draft(world: SimpleNamespace) -> Contribution:
    return contribution_for(world, open_cycle(world, "ARG entities (synthetic)"), "ARG")


def brazilian_contribution(world: SimpleNamespace) -> Contribution:
    contribution = contribution_for(world, open_cycle(world, "BRA entities (synthetic)"), "BRA")
    report_in(world, contribution, tlp=TLP.GREEN, scope=Scope.ALL_MEMBERS)
    return contribution


def brazilian_released_entity(world: SimpleNamespace, **kwargs: Any) -> EntityRecord:
    """A person in Brazil's submitted contribution, TLP:GREEN for all members."""
    contribution = brazilian_contribution(world)
    kwargs.setdefault("properties", {"name": ["Bruno Synthetic"], "nationality": ["br"]})
    record = entity_in(world, contribution, tlp=TLP.GREEN, scope=Scope.ALL_MEMBERS, **kwargs)
    submit(world, contribution)
    return record
