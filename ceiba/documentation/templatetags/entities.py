"""Entity panels that other documentation pages include (contribution, network profile), read
through the access policy for the user of the request."""

from __future__ import annotations

from typing import Any

from django import template

from ceiba.documentation import entity_schema, entity_selectors

register = template.Library()


@register.inclusion_tag("documentation/_contribution_entities.html", takes_context=True)
def contribution_entities(
    context: dict[str, Any], contribution: Any, can_edit: bool = False
) -> dict[str, Any]:
    user = context["request"].user
    records = (
        entity_selectors.visible_records(user).filter(contribution=contribution).order_by("schema", "caption")
    )
    return {"records": records, "contribution": contribution, "can_edit": can_edit}


@register.inclusion_tag("documentation/_network_entities.html", takes_context=True)
def network_entities(context: dict[str, Any], network: Any) -> dict[str, Any]:
    return {"entities": list(entity_selectors.network_entities(context["request"].user, network))}


@register.filter
def schema_label(name: str) -> str:
    """The translated name of an FtM schema ("Person" → "Persona")."""
    return entity_schema.schema_label(name or "")
