"""The policy cycle's models, one module per part of the cycle."""

from .committee import (
    AgendaItem,
    Committee,
    CommitteeMember,
    Decision,
    DecisionText,
    Meeting,
    MeetingDocument,
    MeetingParticipant,
    PresidencyTerm,
    StatePosition,
)
from .cycle import (
    ActionActor,
    ActionResult,
    HorizontalGoal,
    Kpi,
    OperationalAction,
    OperationalActionPlan,
    PolicyCycle,
    Priority,
    StrategicGoal,
    StrategicPlan,
)
from .evaluation import CycleEvaluation, Lesson
from .progress import PROGRESS_SCOPES, KpiValue, ProgressReport
from .recommendations import Addressee, ImplementationReport, Recommendation

__all__ = [
    "PROGRESS_SCOPES",
    "ActionActor",
    "ActionResult",
    "Addressee",
    "AgendaItem",
    "Committee",
    "CommitteeMember",
    "CycleEvaluation",
    "Decision",
    "DecisionText",
    "HorizontalGoal",
    "ImplementationReport",
    "Kpi",
    "KpiValue",
    "Lesson",
    "Meeting",
    "MeetingDocument",
    "MeetingParticipant",
    "OperationalAction",
    "OperationalActionPlan",
    "PolicyCycle",
    "PresidencyTerm",
    "Priority",
    "ProgressReport",
    "Recommendation",
    "StatePosition",
    "StrategicGoal",
    "StrategicPlan",
]
