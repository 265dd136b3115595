"""The FollowTheMoney vocabulary Ceiba stores and how one FtM entity dict is validated against it.

The schemata, properties and value cleaning are `followthemoney`'s (model.get, Property.type.clean);
this module only says which schemata a contribution may hold and turns FtM's verdicts into messages
naming the property. Phones and e-mail addresses are property values in FtM (types `phone` and
`email` of persons, organisations...), not schemata of their own."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from followthemoney import model
from followthemoney.property import Property
from followthemoney.schema import Schema

# countrynames asks for PyICU, which has no wheels; its fallback transliteration is enough for us.
warnings.filterwarnings("ignore", message="Install 'pyicu'", category=UnicodeWarning)

#: Schemata of things (nodes of the graph).
NODE_SCHEMATA = (
    "Person",
    "Organization",
    "Company",
    "LegalEntity",
    "Vessel",
    "Vehicle",
    "Airplane",
    "Address",
    "BankAccount",
    "UserAccount",
)
#: Schemata of links (edges of the graph): FtM interval entities with a source and a target property.
LINK_SCHEMATA = ("Membership", "Associate", "Family", "Ownership", "Directorship", "Payment")
SCHEMATA = NODE_SCHEMATA + LINK_SCHEMATA

SCHEMA_LABELS = {
    "Person": gettext_lazy("Person"),
    "Organization": gettext_lazy("Organisation"),
    "Company": gettext_lazy("Company"),
    "LegalEntity": gettext_lazy("Legal entity"),
    "Vessel": gettext_lazy("Vessel"),
    "Vehicle": gettext_lazy("Vehicle"),
    "Airplane": gettext_lazy("Aircraft"),
    "Address": gettext_lazy("Address"),
    "BankAccount": gettext_lazy("Bank account"),
    "UserAccount": gettext_lazy("Online account"),
    "Membership": gettext_lazy("Membership"),
    "Associate": gettext_lazy("Associate"),
    "Family": gettext_lazy("Family"),
    "Ownership": gettext_lazy("Ownership"),
    "Directorship": gettext_lazy("Directorship"),
    "Payment": gettext_lazy("Payment"),
}
NODE_CHOICES = [(name, SCHEMA_LABELS[name]) for name in NODE_SCHEMATA]
LINK_CHOICES = [(name, SCHEMA_LABELS[name]) for name in LINK_SCHEMATA]
SCHEMA_CHOICES = NODE_CHOICES + LINK_CHOICES

MAX_ID_LENGTH = 255
MAX_VALUE_LENGTH = 10_000
#: The FtM type of properties that reference another entity.
ENTITY_TYPE = "entity"


#: followthemoney's own catalogues for Ceiba's languages (its labels of properties).
FTM_LOCALES = {"es": "es", "pt": "pt_BR", "fr": "fr", "en": "en"}


def use_current_language() -> None:
    """Make followthemoney label properties in the language of the request (it ships es, pt_BR, fr)."""
    from babel import Locale
    from django.utils.translation import get_language
    from followthemoney.util import set_model_locale

    code = (get_language() or "en").split("-")[0]
    set_model_locale(Locale.parse(FTM_LOCALES.get(code, "en")))


def schema_label(name: str) -> str:
    if name in SCHEMA_LABELS:
        return str(SCHEMA_LABELS[name])
    found = model.get(name)
    return str(found.label) if found is not None else name


def get_schema(name: str) -> Schema | None:
    """The FtM schema of that name, if Ceiba stores it."""
    if name not in SCHEMATA:
        return None
    return model.get(name)


def is_link(schema: str) -> bool:
    return schema in LINK_SCHEMATA


def link_ends(schema: str) -> tuple[str, str] | None:
    """The source and target property names of a link schema (e.g. member, organization)."""
    found = model.get(schema)
    if found is None or not found.edge or not is_link(schema):
        return None
    return found.edge_source, found.edge_target  # type: ignore[return-value]


@dataclass
class CleanEntity:
    """An entity dict once FtM has cleaned it: property → cleaned values, in the order given."""

    ftm_id: str
    schema: str
    properties: dict[str, list[str]] = field(default_factory=dict)
    prop_types: dict[str, str] = field(default_factory=dict)
    ranges: dict[str, str] = field(default_factory=dict)
    caption: str = ""

    def references(self) -> set[str]:
        """Ids of the entities this one references (a link's ends, an owner, an address...)."""
        return {
            value
            for prop, values in self.properties.items()
            if self.prop_types[prop] == ENTITY_TYPE
            for value in values
        }


@dataclass(frozen=True)
class EntityError:
    """One reason an entity dict is refused: the property concerned ("" for the whole entity)."""

    prop: str
    message: str


def _clean_value(prop: Property, value: Any) -> str | None:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text or len(text) > MAX_VALUE_LENGTH:
        return None
    cleaned = prop.type.clean(text, proxy=None)
    return str(cleaned) if cleaned is not None else None


def clean_entity(data: Any) -> tuple[CleanEntity | None, list[EntityError]]:
    """Validate one FtM entity dict ({"id", "schema", "properties": {prop: [values]}}) with
    followthemoney: unknown schema or property, invalid values and a missing id are errors."""
    errors: list[EntityError] = []
    if not isinstance(data, dict):
        return None, [EntityError("", _("An entity must be a JSON object."))]
    ftm_id = data.get("id")
    if not isinstance(ftm_id, str) or not ftm_id.strip():
        errors.append(EntityError("id", _("The entity has no id.")))
        ftm_id = ""
    elif len(ftm_id.strip()) > MAX_ID_LENGTH:
        errors.append(
            EntityError("id", _("The entity id is longer than %(max)s characters.") % {"max": MAX_ID_LENGTH})
        )
    schema_name = data.get("schema")
    schema = get_schema(schema_name) if isinstance(schema_name, str) else None
    if schema is None:
        if isinstance(schema_name, str) and model.get(schema_name) is not None:
            message = _("The schema %(schema)s is not one Ceiba stores (use one of: %(schemata)s).")
        else:
            message = _("Unknown schema: %(schema)s (use one of: %(schemata)s).")
        errors.append(
            EntityError("schema", message % {"schema": schema_name, "schemata": ", ".join(SCHEMATA)})
        )
        return None, errors
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        errors.append(EntityError("properties", _("The properties must be a JSON object.")))
        return None, errors
    entity = CleanEntity(ftm_id=ftm_id.strip(), schema=schema.name)
    for name, raw in properties.items():
        prop = schema.get(name) if isinstance(name, str) else None
        if prop is None:
            errors.append(
                EntityError(
                    str(name),
                    _("Unknown property %(prop)s for schema %(schema)s.")
                    % {"prop": name, "schema": schema.name},
                )
            )
            continue
        if prop.stub:
            errors.append(
                EntityError(name, _("%(prop)s is set on the other entity, not on this one.") % {"prop": name})
            )
            continue
        values = raw if isinstance(raw, list) else [raw]
        cleaned_values: list[str] = []
        for value in values:
            cleaned = _clean_value(prop, value)
            if cleaned is None:
                errors.append(
                    EntityError(
                        name,
                        _("Invalid %(type)s value for %(prop)s: %(value)s.")
                        % {"type": prop.type.name, "prop": name, "value": str(value)[:80]},
                    )
                )
            elif cleaned not in cleaned_values:
                if prop.type.name == ENTITY_TYPE and len(cleaned) > MAX_ID_LENGTH:
                    errors.append(
                        EntityError(
                            name,
                            _("The entity id is longer than %(max)s characters.") % {"max": MAX_ID_LENGTH},
                        )
                    )
                    continue
                cleaned_values.append(cleaned)
        if cleaned_values:
            entity.properties[name] = cleaned_values
            entity.prop_types[name] = prop.type.name
            if prop.range is not None:
                entity.ranges[name] = prop.range.name
    ends = link_ends(schema.name)
    if ends is not None:
        for end in ends:
            if not entity.properties.get(end):
                errors.append(
                    EntityError(
                        end, _("A %(schema)s link needs %(prop)s.") % {"schema": schema.name, "prop": end}
                    )
                )
    if errors:
        return None, errors
    entity.caption = caption_of(entity)
    return entity, []


def range_error(prop: str, wanted: str, ftm_id: str, schema: str) -> str | None:
    """Why `ftm_id` (of `schema`) cannot be the value of `prop`, whose range is `wanted`."""
    found = model.get(schema)
    if found is None or found.is_a(wanted):
        return None
    return _("%(prop)s must name an entity of kind %(range)s; %(id)s is of kind %(schema)s.") % {
        "prop": prop,
        "range": schema_label(wanted),
        "id": ftm_id,
        "schema": schema_label(schema),
    }


def caption_of(entity: CleanEntity) -> str:
    """The entity's caption as FtM computes it (its name, number...), from its own values."""
    proxy = model.make_entity(entity.schema)
    proxy.id = entity.ftm_id
    for prop, values in entity.properties.items():
        proxy.add(prop, values, cleaned=True, quiet=True)
    caption = proxy.caption
    return (caption if caption and caption != proxy.schema.label else "")[:500]
