"""Threat documentation models, one module per subject. Add a module's models to the imports below
(Django finds models through this package)."""

from .attachments import ReportAttachment
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

__all__ = [
    "AssessmentCycle",
    "Contribution",
    "CrimeArea",
    "CriminalNetwork",
    "NetworkIndicatorScore",
    "ReportAttachment",
    "SearchDocument",
    "ThreatReport",
    "ThreatRoute",
]
