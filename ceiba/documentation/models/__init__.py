"""Threat documentation models, one module per subject. Add a module's models to the imports below
(Django finds models through this package)."""

from .records import (
    AssessmentCycle,
    Contribution,
    CrimeArea,
    CriminalNetwork,
    NetworkIndicatorScore,
    ThreatReport,
    ThreatRoute,
)
from .statistics import (
    ImportRun,
    ImportStatus,
    StatisticKind,
    StatisticRow,
    StatisticsDataset,
    StatisticUnit,
)

__all__ = [
    "AssessmentCycle",
    "Contribution",
    "CrimeArea",
    "CriminalNetwork",
    "ImportRun",
    "ImportStatus",
    "NetworkIndicatorScore",
    "StatisticKind",
    "StatisticRow",
    "StatisticUnit",
    "StatisticsDataset",
    "ThreatReport",
    "ThreatRoute",
]
