"""The vocabulary of threat documentation: cycle and contribution states, trends, harm, scale,
enablers and the criminal markets of the Global Organized Crime Index."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open for contributions")
    CLOSED = "closed", _("Closed")


class ContributionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned for changes")


#: Statuses in which the state edits its contribution.
EDITABLE_STATUSES = frozenset({ContributionStatus.DRAFT, ContributionStatus.RETURNED})
#: Statuses in which the state has released its contribution to the secretariat and other recipients.
RELEASED_STATUSES = frozenset({ContributionStatus.SUBMITTED, ContributionStatus.VALIDATED})
#: Statuses in which the secretariat sees the contribution itself (it returned it, so it knows of it).
SECRETARIAT_STATUSES = RELEASED_STATUSES | {ContributionStatus.RETURNED}


class Trend(models.TextChoices):
    INCREASING = "increasing", _("Increasing")
    STABLE = "stable", _("Stable")
    DECREASING = "decreasing", _("Decreasing")
    UNKNOWN = "unknown", _("Unknown")


class HarmLevel(models.IntegerChoices):
    """An ordinal harm scale. "Unknown" is stored as NULL and is never the same as "none" (0)."""

    NONE = 0, _("None")
    LOW = 1, _("Low")
    MODERATE = 2, _("Moderate")
    HIGH = 3, _("High")
    SEVERE = 4, _("Severe")
    __empty__ = _("Unknown")


class ThreatScale(models.IntegerChoices):
    """How large the phenomenon is, on an ordinal scale; NULL is "unknown"."""

    LOCAL = 1, _("Local")
    NATIONAL = 2, _("National")
    REGIONAL = 3, _("Several states of the region")
    TRANSREGIONAL = 4, _("Beyond the region")
    __empty__ = _("Unknown")


#: The five harm dimensions of a threat report: field name → label.
HARM_DIMENSIONS = {
    "harm_physical": _("Physical harm"),
    "harm_economic": _("Economic harm"),
    "harm_social": _("Social harm"),
    "harm_environmental": _("Environmental harm"),
    "harm_institutional": _("Institutional harm"),
}


class Enabler(models.TextChoices):
    CORRUPTION = "corruption", _("Corruption")
    LEGAL_BUSINESS = "legal_business", _("Legal business structures")
    LOGISTICS_HUBS = "logistics_hubs", _("Logistics hubs (ports, airports, border crossings)")
    ONLINE_MARKETS = "online_markets", _("Online markets")
    DOCUMENT_FRAUD = "document_fraud", _("Document fraud")
    VIOLENCE = "violence", _("Violence")
    MONEY_LAUNDERING_NETWORKS = "money_laundering_networks", _("Money-laundering networks")


class GociMarket(models.TextChoices):
    """The 15 criminal markets of the Global Organized Crime Index (GI-TOC, 2023 edition)."""

    HUMAN_TRAFFICKING = "human_trafficking", _("Human trafficking")
    HUMAN_SMUGGLING = "human_smuggling", _("Human smuggling")
    EXTORTION = "extortion_protection_racketeering", _("Extortion and protection racketeering")
    ARMS_TRAFFICKING = "arms_trafficking", _("Arms trafficking")
    COUNTERFEIT_GOODS = "trade_in_counterfeit_goods", _("Trade in counterfeit goods")
    EXCISE_GOODS = "illicit_trade_in_excisable_goods", _("Illicit trade in excisable goods")
    FLORA_CRIMES = "flora_crimes", _("Flora crimes")
    FAUNA_CRIMES = "fauna_crimes", _("Fauna crimes")
    NON_RENEWABLE_RESOURCE_CRIMES = "non_renewable_resource_crimes", _("Non-renewable resource crimes")
    HEROIN_TRADE = "heroin_trade", _("Heroin trade")
    COCAINE_TRADE = "cocaine_trade", _("Cocaine trade")
    CANNABIS_TRADE = "cannabis_trade", _("Cannabis trade")
    SYNTHETIC_DRUG_TRADE = "synthetic_drug_trade", _("Synthetic drug trade")
    CYBER_DEPENDENT_CRIMES = "cyber_dependent_crimes", _("Cyber-dependent crimes")
    FINANCIAL_CRIMES = "financial_crimes", _("Financial crimes")
