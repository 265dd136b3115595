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


class NetworkSize(models.TextChoices):
    """How many members a criminal network has, in bands."""

    UNDER_10 = "lt10", _("Fewer than 10")
    FROM_10 = "10_49", _("10–49")
    FROM_50 = "50_99", _("50–99")
    FROM_100 = "100_499", _("100–499")
    FROM_500 = "500_plus", _("500 or more")
    UNKNOWN = "unknown", _("Unknown")


class NetworkStructure(models.TextChoices):
    HIERARCHICAL = "hierarchical", _("Hierarchical")
    CELL_BASED = "cell_based", _("Cell-based")
    LOOSE_NETWORK = "loose_network", _("Loose network")
    UNKNOWN = "unknown", _("Unknown")


class IndicatorScore(models.IntegerChoices):
    """The ordinal scale of an actor indicator. "Unknown" is stored as NULL, never as 0."""

    NONE = 0, _("0 · None")
    LOW = 1, _("1 · Low")
    MODERATE = 2, _("2 · Moderate")
    HIGH = 3, _("3 · High")
    VERY_HIGH = 4, _("4 · Very high")
    __empty__ = _("Unknown")


#: The lowest and highest score of an actor indicator.
INDICATOR_SCORE_MIN, INDICATOR_SCORE_MAX = 0, 4

#: The actor indicators of the assessment methodology: (code, label, help). Data, not fields: the
#: scores live in `NetworkIndicatorScore`, one row per network and indicator.
NETWORK_INDICATORS = (
    (
        "international_dimension",
        _("International dimension"),
        _("Activity, members or assets in several states or beyond the region."),
    ),
    (
        "legal_business_structures",
        _("Use of legal business structures"),
        _("Companies or legal businesses used to commit, hide or profit from crime."),
    ),
    ("violence", _("Violence"), _("Use of violence or intimidation, internally or externally.")),
    ("corruption", _("Corruption"), _("Corruption of officials, the private sector or the judiciary.")),
    (
        "counter_measures",
        _("Counter-measures against law enforcement"),
        _("Counter-surveillance, encrypted communications, infiltration of law enforcement."),
    ),
    (
        "money_laundering",
        _("Money-laundering capability"),
        _("Own or contracted capability to launder the proceeds of crime."),
    ),
    ("adaptability", _("Adaptability"), _("How quickly the network adapts to pressure and new markets.")),
    (
        "territorial_control",
        _("Territorial control"),
        _("Control of territory, communities or infrastructure."),
    ),
    (
        "cooperation",
        _("Cooperation with other networks"),
        _("Alliances, joint ventures or services bought from other networks."),
    ),
    (
        "resources_expertise",
        _("Resources and expertise"),
        _("Financial means, logistics and specialised skills available to the network."),
    ),
    ("longevity", _("Longevity"), _("How long the network has been active and resilient.")),
)
NETWORK_INDICATOR_CODES = tuple(code for code, _label, _help in NETWORK_INDICATORS)
NETWORK_INDICATOR_LABELS = {code: label for code, label, _help in NETWORK_INDICATORS}

#: (code, label) pairs of the indicators, for the model field and the API.
NETWORK_INDICATOR_CHOICES = [(code, label) for code, label, _help in NETWORK_INDICATORS]
