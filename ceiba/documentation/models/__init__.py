"""Threat documentation models, one module per subject. Add a module's models to the imports below
(Django finds models through this package)."""

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

__all__ = [
    "AssessmentCycle",
    "Contribution",
    "CrimeArea",
    "CriminalNetwork",
    "Entity",
    "EntityRecord",
    "EntityStatement",
    "NetworkIndicatorScore",
    "ThreatReport",
    "ThreatRoute",
]
