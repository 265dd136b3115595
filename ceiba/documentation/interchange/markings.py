"""TLP markings as STIX 2.1 and MISP write them, and our `TLP` values.

STIX: the official TLP 2.0 marking-definitions (OASIS cti-stix-common-objects, extension
`extension-definition--60a3c5c5-…`) and the TLP 1 ones STIX 2.1 predefines. TLP 1's WHITE reads as
CLEAR; there is no TLP 1 AMBER+STRICT. MISP: the `tlp:*` tags of the MISP taxonomy (TLP 1 and 2)."""

from __future__ import annotations

from typing import Any

from ceiba.sharing.choices import TLP

TLP2_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"

#: TLP 2.0 marking-definition ids → (our value, the name and extension value they carry).
TLP2_MARKINGS: dict[str, tuple[TLP, str, str]] = {
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": (TLP.CLEAR, "TLP:CLEAR", "clear"),
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": (TLP.GREEN, "TLP:GREEN", "green"),
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": (TLP.AMBER, "TLP:AMBER", "amber"),
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": (
        TLP.AMBER_STRICT,
        "TLP:AMBER+STRICT",
        "amber+strict",
    ),
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": (TLP.RED, "TLP:RED", "red"),
}

#: TLP 1 marking-definition ids predefined by STIX 2.1 → our value.
TLP1_MARKINGS: dict[str, TLP] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": TLP.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": TLP.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": TLP.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": TLP.RED,
}

#: A TLP level as written in a marking's definition, an extension or a MISP tag → our value.
TLP_WORDS: dict[str, TLP] = {
    "clear": TLP.CLEAR,
    "white": TLP.CLEAR,
    "green": TLP.GREEN,
    "amber": TLP.AMBER,
    "amber+strict": TLP.AMBER_STRICT,
    "amber-strict": TLP.AMBER_STRICT,
    "red": TLP.RED,
}

OFFICIAL_MARKINGS: dict[str, TLP] = {
    **{marking_id: value for marking_id, (value, _name, _word) in TLP2_MARKINGS.items()},
    **TLP1_MARKINGS,
}

#: Our value → the TLP 2.0 marking-definition id we export.
MARKING_ID_FOR: dict[str, str] = {value: marking_id for marking_id, (value, _n, _w) in TLP2_MARKINGS.items()}


def tlp2_marking_definition(tlp: str) -> dict[str, Any]:
    """The official TLP 2.0 marking-definition object of one of our TLP values."""
    marking_id = MARKING_ID_FOR[tlp]
    _value, name, word = TLP2_MARKINGS[marking_id]
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": marking_id,
        "created": TLP2_CREATED,
        "name": name,
        "extensions": {TLP2_EXTENSION_ID: {"extension_type": "property-extension", "tlp_2_0": word}},
    }


def tlp_of_marking_definition(definition: dict[str, Any]) -> TLP | None:
    """The TLP level a marking-definition object states, or None if it is not a TLP marking (a
    statement, say). Raises `KeyError` for a TLP marking whose level is not one we know."""
    marking_id = definition.get("id", "")
    if marking_id in OFFICIAL_MARKINGS:
        return OFFICIAL_MARKINGS[marking_id]
    extension = (definition.get("extensions") or {}).get(TLP2_EXTENSION_ID)
    if isinstance(extension, dict) and "tlp_2_0" in extension:
        return TLP_WORDS[str(extension["tlp_2_0"]).lower()]
    if definition.get("definition_type") == "tlp":
        return TLP_WORDS[str((definition.get("definition") or {}).get("tlp", "")).lower()]
    return None


def tlp_of_misp_tag(tag: str) -> TLP | None:
    """The TLP of a MISP tag ("tlp:amber+strict"), None if the tag is not a TLP tag. Raises
    `KeyError` for a `tlp:` tag whose level is not one we know (e.g. "tlp:ex:chr")."""
    name = tag.strip().lower()
    if not name.startswith("tlp:"):
        return None
    return TLP_WORDS[name.removeprefix("tlp:").strip('"')]
