"""Translatable labels of the methodology's codes (the YAML carries English labels for the file;
pages show these)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ceiba.documentation.choices import NETWORK_INDICATOR_LABELS

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
