"""Translatable labels of the methodology's codes (the YAML carries English labels for the file;
pages show these)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ceiba.documentation.choices import NETWORK_INDICATOR_LABELS, GociMarket

MARKET_INDICATOR_LABELS: dict[str, Promise] = {
    "high_threat_share": _("Share of high-threat networks"),
    "high_threat_count": _("High-threat networks (confidence-weighted)"),
    "network_score": _("Mean network score"),
    "scale": _("Scale"),
    "trend": _("Trend"),
    "geographic_spread": _("Geographic spread"),
    "enablers": _("Enablers"),
    "harm_physical": _("Physical harm"),
    "harm_economic": _("Economic harm"),
    "harm_social": _("Social harm"),
    "harm_environmental": _("Environmental harm"),
    "harm_institutional": _("Institutional harm"),
}

BAND_LABELS: dict[str, Promise] = {
    "low": _("Low"),
    "medium": _("Medium"),
    "high": _("High"),
    "very_high": _("Very high"),
}

LEVEL_LABELS: dict[str, Promise] = {
    "state": _("State"),
    "subregion": _("Subregion"),
    "region": _("Region"),
}


def market_indicator_label(code: str) -> str | Promise:
    return MARKET_INDICATOR_LABELS.get(code, code)


def actor_indicator_label(code: str) -> str | Promise:
    return NETWORK_INDICATOR_LABELS.get(code, code)


def band_label(code: str | None) -> str | Promise:
    if code is None:
        return _("Unknown")
    return BAND_LABELS.get(code, code)


# --- Methodology pages and composite indices (methodology_views, table_views) ----------------------

#: The ordinal levels of the shipped methodology's scale (the YAML's English words).
SCALE_LEVEL_LABELS: dict[str, Promise] = {
    "None": _("None"),
    "Low": _("Low"),
    "Moderate": _("Moderate"),
    "High": _("High"),
    "Very high": _("Very high"),
}

UNKNOWN_HANDLING_LABELS: dict[str, Promise] = {
    "exclude": _("Left out: the weights of the known indicators are rescaled"),
}

AGGREGATE_LABELS: dict[str, Promise] = {
    "mean": _("Mean over states"),
    "max": _("Highest state"),
}

#: Groups, formulas and quadrants of the composite index of the shipped methodology.
COMPOSITE_LABELS: dict[str, Promise] = {
    "criminal_markets": _("Criminal markets"),
    "criminal_actors": _("Criminal actors"),
    "resilience_indicators": _("Resilience indicators"),
    "criminal_markets_score": _("Criminal markets score"),
    "criminal_actors_score": _("Criminal actors score"),
    "criminality": _("Criminality"),
    "resilience": _("Resilience"),
    "high_criminality_low_resilience": _("High criminality, low resilience"),
    "high_criminality_high_resilience": _("High criminality, high resilience"),
    "low_criminality_low_resilience": _("Low criminality, low resilience"),
    "low_criminality_high_resilience": _("Low criminality, high resilience"),
}

#: The country-level indicators of a composite table (Global Organized Crime Index vocabulary).
COMPOSITE_INDICATOR_LABELS: dict[str, Promise] = {
    **{str(choice.value): choice.label for choice in GociMarket},
    "mafia_style_groups": _("Mafia-style groups"),
    "criminal_networks": _("Criminal networks"),
    "state_embedded_actors": _("State-embedded actors"),
    "foreign_actors": _("Foreign actors"),
    "private_sector_actors": _("Private-sector actors"),
    "political_leadership_and_governance": _("Political leadership and governance"),
    "government_transparency_and_accountability": _("Government transparency and accountability"),
    "international_cooperation": _("International cooperation"),
    "national_policies_and_laws": _("National policies and laws"),
    "judicial_system_and_detention": _("Judicial system and detention"),
    "law_enforcement": _("Law enforcement"),
    "territorial_integrity": _("Territorial integrity"),
    "anti_money_laundering": _("Anti-money laundering"),
    "economic_regulatory_capacity": _("Economic regulatory capacity"),
    "victim_and_witness_support": _("Victim and witness support"),
    "prevention": _("Prevention"),
    "non_state_actors": _("Non-state actors"),
}


def scale_level_label(text: str) -> str | Promise:
    return SCALE_LEVEL_LABELS.get(text, text)


def composite_label(code: str | None, fallback: str = "") -> str | Promise:
    """A group, formula or quadrant; an unknown code shows the definition's own label or the code."""
    if code is None:
        return _("Unknown")
    return COMPOSITE_LABELS.get(code, fallback or code)


def composite_indicator_label(code: str) -> str | Promise:
    return COMPOSITE_INDICATOR_LABELS.get(code, code)
