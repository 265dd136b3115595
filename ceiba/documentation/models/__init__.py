"""Threat documentation models, one module per subject. Add a module's models to the imports below
(Django finds models through this package)."""

from .attachments import ReportAttachment
from .entities import Entity, EntityRecord, EntityStatement
from .records import (
    AssessmentCycle,
    Contribution,
    CrimeArea,
    CriminalNetwork,
    NetworkIndicatorScore,
    ThreatReport,
    ThreatRoute,
)
from .search import SearchDocument
from .statistics import (
    ImportRun,
    ImportStatus,
    StatisticKind,
    StatisticRow,
    StatisticsDataset,
    StatisticTotal,
    StatisticUnit,
)

__all__ = [
    "AssessmentCycle",
    "Contribution",
    "CrimeArea",
    "CriminalNetwork",
    "Entity",
    "EntityRecord",
    "EntityStatement",
    "ImportRun",
    "ImportStatus",
    "NetworkIndicatorScore",
    "ReportAttachment",
    "SearchDocument",
    "StatisticKind",
    "StatisticRow",
    "StatisticTotal",
    "StatisticUnit",
    "StatisticsDataset",
    "ThreatReport",
    "ThreatRoute",
]
