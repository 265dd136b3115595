"""Demo entities (all invented, labelled synthetic): persons, companies, a vessel, a bank account
and the links between them in Brazil's contribution (released to all members), and an Argentine
draft that links one of its own persons to Brazil's. Loading twice changes nothing."""

from __future__ import annotations

from typing import Any

from ceiba.sharing.choices import TLP, Scope

from . import entity_services
from .choices import EDITABLE_STATUSES
from .models import Contribution, CriminalNetwork, Entity

MARKING: dict[str, Any] = {
    "tlp": TLP.GREEN,
    "scope": Scope.ALL_MEMBERS,
    "source_reliability": "B",
    "information_credibility": "3",
}
NOTE = "Synthetic demonstration entity: invented."

#: Brazil's entities: (id, schema, properties).
BRAZIL = [
    (
        "ceiba-demo-person-marcos",
        "Person",
        {
            "name": ["Marcos Exemplo (synthetic)"],
            "nationality": ["br"],
            "birthDate": ["1979-04"],
            "notes": [NOTE],
        },
    ),
    (
        "ceiba-demo-person-rita",
        "Person",
        {
            "name": ["Rita Ficticia (synthetic)"],
            "nationality": ["py"],
            "phone": ["+595 21 000 0000"],
            "notes": [NOTE],
        },
    ),
    (
        "ceiba-demo-company-porto",
        "Company",
        {
            "name": ["Porto Fictício Logística Ltda (synthetic)"],
            "jurisdiction": ["br"],
            "email": ["contato@porto-ficticio.example"],
            "notes": [NOTE],
        },
    ),
    (
        "ceiba-demo-org-harbour-crew",
        "Organization",
        {"name": ["Atlantic Harbour Crew (synthetic)"], "notes": [NOTE]},
    ),
    (
        "ceiba-demo-vessel-mar",
        "Vessel",
        {"name": ["MV Mar Sintético (synthetic)"], "flag": ["pa"], "notes": [NOTE]},
    ),
    (
        "ceiba-demo-account-porto",
        "BankAccount",
        {"accountNumber": ["000-DEMO-0001"], "bankName": ["Banco Exemplo (synthetic)"], "notes": [NOTE]},
    ),
]
BRAZIL_LINKS = [
    (
        "Membership",
        "ceiba-demo-person-marcos",
        "ceiba-demo-org-harbour-crew",
        {"role": ["leader (synthetic)"]},
    ),
    ("Directorship", "ceiba-demo-person-rita", "ceiba-demo-company-porto", {"role": ["director"]}),
    ("Ownership", "ceiba-demo-company-porto", "ceiba-demo-vessel-mar", {"percentage": ["100"]}),
    ("Ownership", "ceiba-demo-company-porto", "ceiba-demo-account-porto", {}),
    (
        "Associate",
        "ceiba-demo-person-marcos",
        "ceiba-demo-person-rita",
        {"relationship": ["business partner"]},
    ),
]


def _entity(ftm_id: str) -> Entity:
    return Entity.objects.get(ftm_id=ftm_id)


def load_brazil(contribution: Contribution, actor: Any, network: CriminalNetwork | None) -> int:
    """Brazil's entities and links, while its contribution is still a draft."""
    if contribution.status not in EDITABLE_STATUSES or contribution.entity_records.exists():
        return 0
    for ftm_id, schema, properties in BRAZIL:
        entity_services.entity_record_create(
            contribution=contribution,
            actor=actor,
            schema=schema,
            ftm_id=ftm_id,
            properties=properties,
            network=network if schema == "Organization" else None,
            **MARKING,
        )
    for schema, source, target, properties in BRAZIL_LINKS:
        entity_services.entity_link_create(
            contribution=contribution,
            actor=actor,
            schema=schema,
            source=_entity(source),
            target=_entity(target),
            properties=properties,
            **MARKING,
        )
    return len(BRAZIL) + len(BRAZIL_LINKS)


def load_argentina(contribution: Contribution, actor: Any) -> int:
    """Argentina's draft: a person of its own, associated with Brazil's (released) person."""
    if contribution.status not in EDITABLE_STATUSES or contribution.entity_records.exists():
        return 0
    if not Entity.objects.filter(ftm_id="ceiba-demo-person-marcos").exists():
        return 0
    marking: dict[str, Any] = {**MARKING, "tlp": TLP.AMBER, "scope": Scope.SECRETARIAT}
    record = entity_services.entity_record_create(
        contribution=contribution,
        actor=actor,
        schema="Person",
        ftm_id="ceiba-demo-person-lucia",
        properties={"name": ["Lucía Ejemplo (synthetic)"], "nationality": ["ar"], "notes": [NOTE]},
        **marking,
    )
    entity_services.entity_link_create(
        contribution=contribution,
        actor=actor,
        schema="Associate",
        source=record.entity,
        target=_entity("ceiba-demo-person-marcos"),
        properties={"relationship": ["courier contact (synthetic)"]},
        **marking,
    )
    return 2
