"""Reads of entities, always through the access policy: an entity is seen through the records the
user may see, and its schema, caption, values, links and graph come from those records only."""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse
from followthemoney import model
from followthemoney.exc import InvalidData

from ceiba.common.access import Action, restrict
from ceiba.sharing.choices import most_restrictive

from .entity_schema import (
    ENTITY_TYPE,
    LINK_SCHEMATA,
    is_link,
    link_ends,
    schema_label,
    use_current_language,
)
from .models import CriminalNetwork, Entity, EntityRecord, EntityStatement


def visible_records(user: Any, action: Action = Action.VIEW) -> QuerySet[EntityRecord]:
    return restrict(
        EntityRecord.objects.select_related(
            "entity", "originator", "originator_state", "contribution", "contribution__cycle"
        ),
        user,
        action,
    )


def visible_entities(user: Any, action: Action = Action.VIEW) -> QuerySet[Entity]:
    """Entities with at least one record the user may see, annotated with the schema and caption of
    the first of those records (never of a record they may not see)."""
    return _with_first_record(user, restrict(Entity, user, action), action)


def _with_first_record(user: Any, entities: QuerySet[Entity], action: Action) -> QuerySet[Entity]:
    """`entities` annotated with the schema and caption of the first of their records the user may
    see (`action`)."""
    first = restrict(EntityRecord, user, action).filter(entity=OuterRef("pk")).order_by("pk")
    return entities.annotate(
        schema=Subquery(first.values("schema")[:1]),
        caption=Subquery(first.values("caption")[:1]),
    ).order_by("pk")


def entity_list_queryset(
    user: Any, *, schema: str = "", state: str = "", q: str = "", links: bool = False
) -> QuerySet[Entity]:
    """Visible entities, filtered by schema, originator state (ISO code) and text in the caption.
    Links are listed only when asked for (they show on their ends' pages)."""
    records = restrict(EntityRecord, user)
    if schema:
        records = records.filter(schema=schema)
    elif not links:
        records = records.exclude(schema__in=LINK_SCHEMATA)
    if state:
        records = records.filter(originator_state__iso3__iexact=state)
    if q.strip():
        records = records.filter(caption__icontains=q.strip())
    # `records` are visible records, so their entities are visible: no second pass of the policy
    # (it doubled the work of counting a hundred thousand entities).
    return _with_first_record(user, Entity.objects.filter(pk__in=records.values("entity_id")), Action.VIEW)


def statements_prefetch() -> Prefetch:
    return Prefetch("statements", queryset=EntityStatement.objects.order_by("prop", "first_seen", "pk"))


def entity_records(user: Any, entity: Entity, action: Action = Action.VIEW) -> list[EntityRecord]:
    """The records of an entity the user may see, with their statements."""
    return list(
        visible_records(user, action)
        .filter(entity=entity)
        .select_related("network")
        .prefetch_related(statements_prefetch(), "shared_with_states", "shared_with_organisations")
        .order_by("pk")
    )


@dataclass
class ValueRow:
    """One value of one property with its provenance (the record saying it)."""

    prop: str
    prop_label: str
    value: str
    record: EntityRecord
    statement: EntityStatement
    entity: Entity | None = None  # the referenced entity, for an entity-typed value
    entity_caption: str = ""


@dataclass
class EntityView:
    entity: Entity
    records: list[EntityRecord]
    schema: str
    caption: str
    values: list[ValueRow] = field(default_factory=list)
    networks: list[CriminalNetwork] = field(default_factory=list)

    @property
    def schema_label(self) -> str:
        return schema_label(self.schema)


def _prop_label(schema: str, prop: str) -> str:
    found = model.get(schema)
    definition = found.get(prop) if found is not None else None
    return str(definition.label) if definition is not None else prop


def captions(user: Any, ftm_ids: Iterable[str]) -> dict[str, tuple[Entity, str, str]]:
    """For the visible entities among these ids: (entity, schema, caption) by id."""
    ids = set(ftm_ids)
    if not ids:
        return {}
    return {
        entity.ftm_id: (entity, entity.schema or "", entity.caption or entity.ftm_id)  # type: ignore[attr-defined]
        for entity in visible_entities(user).filter(ftm_id__in=ids)
    }


def entity_view(user: Any, entity: Entity) -> EntityView:
    use_current_language()
    records = entity_records(user, entity)
    schema = records[0].schema if records else ""
    caption = next((r.caption for r in records if r.caption), entity.ftm_id)
    references = {s.value for r in records for s in r.statements.all() if s.prop_type == ENTITY_TYPE}
    known = captions(user, references)
    values: list[ValueRow] = []
    for record in records:
        for statement in record.statements.all():
            row = ValueRow(
                prop=statement.prop,
                prop_label=_prop_label(record.schema, statement.prop),
                value=statement.value,
                record=record,
                statement=statement,
            )
            if statement.prop_type == ENTITY_TYPE:
                if statement.value not in known:
                    continue  # an entity the user may not see is not even named
                row.entity, _schema, row.entity_caption = known[statement.value]
            values.append(row)
    values.sort(key=lambda row: (row.prop_label, row.value, row.record.pk))
    network_ids = {r.network_id for r in records if r.network_id}
    networks = list(restrict(CriminalNetwork, user).filter(pk__in=network_ids)) if network_ids else []
    return EntityView(
        entity=entity, records=records, schema=schema, caption=caption, values=values, networks=networks
    )


def network_entities(user: Any, network: CriminalNetwork) -> QuerySet[Entity]:
    """Visible entities one of whose visible records stands for this network."""
    tied = restrict(EntityRecord, user).filter(network=network).values("entity_id")
    return visible_entities(user).filter(pk__in=tied)


# --- the graph --------------------------------------------------------------------------------------


def entity_graph(user: Any, entity: Entity) -> dict[str, Any]:
    """The entity, its links and the entities at their other ends, as nodes and edges for the graph
    view. Only entities the user may see become nodes; a link shows only if both its ends do."""
    use_current_language()
    center = entity.ftm_id
    visible_statements = restrict(EntityStatement, user).filter(prop_type=ENTITY_TYPE)
    # Statements of visible records that reference the entity, and those the entity's records make.
    incoming = list(
        visible_statements.filter(value=center).values_list(
            "record__entity__ftm_id", "record__schema", "prop"
        )
    )
    outgoing = list(
        visible_statements.filter(record__entity=entity).values_list(
            "record__entity__ftm_id", "record__schema", "prop", "value"
        )
    )
    link_ids = {ftm_id for ftm_id, schema, _prop in incoming if is_link(schema)}
    if is_link(_first_schema(user, entity)):
        link_ids.add(center)
    link_ends_by_id: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    link_schema: dict[str, str] = {}
    for ftm_id, schema, prop, value in visible_statements.filter(
        record__entity__ftm_id__in=link_ids
    ).values_list("record__entity__ftm_id", "record__schema", "prop", "value"):
        link_ends_by_id[ftm_id][prop].add(value)
        link_schema.setdefault(ftm_id, schema)
    edges: list[tuple[str, str, str, str]] = []  # (id, source, target, label)
    for link_id, props in link_ends_by_id.items():
        ends = link_ends(link_schema[link_id])
        if ends is None:
            continue
        for source in props.get(ends[0], ()):
            for target in props.get(ends[1], ()):
                edges.append(
                    (f"{link_id}:{source}:{target}", source, target, schema_label(link_schema[link_id]))
                )
    for source, schema, prop, target in outgoing:
        if not is_link(schema):
            edges.append((f"{source}:{prop}:{target}", source, target, _prop_label(schema, prop)))
    for source, schema, prop in incoming:
        if not is_link(schema):
            edges.append((f"{source}:{prop}:{center}", source, center, _prop_label(schema, prop)))
    candidates = {center} | {e[1] for e in edges} | {e[2] for e in edges}
    nodes = captions(user, candidates)
    seen_edges: set[str] = set()
    graph_edges = []
    for edge_id, source, target, label in edges:
        if source in nodes and target in nodes and edge_id not in seen_edges:
            seen_edges.add(edge_id)
            graph_edges.append({"data": {"id": edge_id, "source": source, "target": target, "label": label}})
    graph_nodes = [
        {
            "data": {
                "id": ftm_id,
                "label": caption,
                "schema": schema,
                "center": ftm_id == center,
                "url": reverse("documentation:entity_detail", args=[stored.pk]),
            }
        }
        for ftm_id, (stored, schema, caption) in sorted(nodes.items())
        if not is_link(schema)
    ]
    node_ids = {node["data"]["id"] for node in graph_nodes}
    graph_edges = [
        e for e in graph_edges if e["data"]["source"] in node_ids and e["data"]["target"] in node_ids
    ]
    return {"nodes": graph_nodes, "edges": graph_edges}


def _first_schema(user: Any, entity: Entity) -> str:
    return (
        restrict(EntityRecord, user)
        .filter(entity=entity)
        .order_by("pk")
        .values_list("schema", flat=True)
        .first()
        or ""
    )


# --- FtM JSON lines export ---------------------------------------------------------------------------


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def export_lines(user: Any, entities: QuerySet[Entity] | None = None) -> Iterator[str]:
    """One FtM JSON line per entity the user may export: the values of the records they may export
    only, and a `context` with each record's provenance and markings (docs/decisions/0030). A link
    is exported only if both its ends are; a value naming an entity they may not export is left out."""
    exportable = restrict(Entity, user, Action.EXPORT)
    if entities is not None:
        exportable = exportable.filter(pk__in=entities.values("pk"))
    allowed = set(restrict(Entity, user, Action.EXPORT).values_list("ftm_id", flat=True))
    records = (
        restrict(EntityRecord, user, Action.EXPORT)
        .filter(entity__in=exportable.values("pk"))
        .select_related("entity", "originator", "originator_state", "contribution__cycle")
        .prefetch_related(statements_prefetch())
        .order_by("entity_id", "pk")
    )
    current: list[EntityRecord] = []
    for record in records.iterator(chunk_size=1000):
        if current and current[0].entity_id != record.entity_id:
            line = _entity_line(current, allowed)
            if line is not None:
                yield line
            current = []
        current.append(record)
    if current:
        line = _entity_line(current, allowed)
        if line is not None:
            yield line


def _entity_line(records: list[EntityRecord], allowed: set[str]) -> str | None:
    schema = records[0].schema
    for record in records[1:]:
        with contextlib.suppress(InvalidData):  # schemata that do not merge: keep the first
            schema = model.common_schema(schema, record.schema).name
    ends = link_ends(schema) or ()
    properties: dict[str, list[str]] = {}
    context_records = []
    first_seen, last_seen = [], []
    for record in records:
        values: dict[str, list[dict[str, str]]] = {}
        for statement in record.statements.all():
            if statement.prop_type == ENTITY_TYPE and statement.value not in allowed:
                continue
            if statement.value not in properties.setdefault(statement.prop, []):
                properties[statement.prop].append(statement.value)
            values.setdefault(statement.prop, []).append(
                {
                    "value": statement.value,
                    "first_seen": _iso(statement.first_seen),
                    "last_seen": _iso(statement.last_seen),
                }
            )
            first_seen.append(statement.first_seen)
            last_seen.append(statement.last_seen)
        context_records.append(
            {
                "state": record.originator_state.iso3,
                "originator": str(record.originator),
                "contribution": record.contribution_id,
                "cycle": record.contribution.cycle.name,
                "tlp": record.tlp,
                "handling_code": record.handling_code,
                "handling_conditions": record.handling_conditions,
                "scope": record.scope,
                "grading": record.grading,
                "grading_scheme": record.grading_scheme,
                "properties": values,
            }
        )
    if any(not properties.get(end) for end in ends):
        return None  # a link whose ends are not both exportable is left out
    line = {
        "id": records[0].entity.ftm_id,
        "schema": schema,
        "properties": properties,
        "first_seen": _iso(min(first_seen)) if first_seen else None,
        "last_seen": _iso(max(last_seen)) if last_seen else None,
        "context": {
            "ceiba": {
                "tlp": str(most_restrictive(r.tlp for r in records).value),
                "records": context_records,
            }
        },
    }
    return json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"
