"""The policy cycle's vocabulary (issue 5): meetings, decisions, votes, plans, actions, KPIs,
progress and the follow-up of recommendations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who reads a meeting, a decision or a recommendation: everyone once published, or the
    committee's members (delegations, focal points, the secretariat) only."""

    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Restricted to members")


class MeetingLevel(models.TextChoices):
    MINISTERIAL = "ministerial", _("Ministerial")
    TECHNICAL = "technical", _("Technical")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ParticipantRole(models.TextChoices):
    DELEGATION = "delegation", _("Delegation of a member state")
    OBSERVER = "observer", _("Observer")
    SECRETARIAT = "secretariat", _("Secretariat")
    GUEST = "guest", _("Invited expert")


class DecisionMethod(models.TextChoices):
    CONSENSUS = "consensus", _("Consensus")
    VOTE = "vote", _("Vote")


class QuorumRule(models.TextChoices):
    """How many member states must take part for the committee to decide."""

    MAJORITY = "majority", _("More than half of the member states")
    TWO_THIRDS = "two_thirds", _("Two thirds of the member states")
    ALL = "all", _("All member states")


class MajorityRule(models.TextChoices):
    """How many votes in favour carry a decision taken by vote."""

    SIMPLE = "simple", _("Simple majority: more votes in favour than against")
    ABSOLUTE = "absolute", _("Absolute majority: more than half of the member states")
    TWO_THIRDS = "two_thirds", _("Two thirds of the states present and voting")
    UNANIMITY = "unanimity", _("Unanimity of the states present")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not adopted")


class Position(models.TextChoices):
    """A state's vote or, under consensus, its position."""

    IN_FAVOUR = "in_favour", _("In favour")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstention")
    RESERVATION = "reservation", _("Joins with a reservation")
    ABSENT = "absent", _("Absent")


class CycleStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Under way")
    CLOSED = "closed", _("Closed")


class PriorityOrigin(models.TextChoices):
    ASSESSMENT = "assessment", _("Recommended by the regional assessment")
    COMMITTEE = "committee", _("The committee's own decision")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    CLOSED = "closed", _("Closed")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    TO_BE_CONTINUED = "to_be_continued", _("To be continued")
    NOT_COMPLETED = "not_completed", _("Not completed")
    CANCELLED = "cancelled", _("Cancelled")


#: Statuses in which an action has ended.
FINISHED_ACTION_STATUSES = frozenset(
    {ActionStatus.COMPLETED, ActionStatus.TO_BE_CONTINUED, ActionStatus.NOT_COMPLETED, ActionStatus.CANCELLED}
)


class ActorRole(models.TextChoices):
    CO_LEADER = "co_leader", _("Co-leader")
    PARTICIPANT = "participant", _("Participant")
    PARTNER = "partner", _("International partner")


class KpiUnit(models.TextChoices):
    """The unit a KPI is counted in; a reported value must be given in the KPI's own unit."""

    COUNT = "count", _("number")
    PERCENT = "percent", _("per cent")
    PERSONS = "persons", _("persons")
    OPERATIONS = "operations", _("operations")
    KILOGRAMS = "kg", _("kilograms")
    USD = "usd", _("US dollars")
    DAYS = "days", _("days")


class KpiDirection(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class ResultKind(models.TextChoices):
    """What an operational action achieved, counted."""

    ARRESTS = "arrests", _("Arrests")
    SEIZURES_KG = "seizures_kg", _("Drugs seized (kg)")
    FIREARMS = "firearms", _("Firearms seized")
    ASSETS_USD = "assets_usd", _("Assets frozen or confiscated (USD)")
    VICTIMS = "victims", _("Victims identified")
    PEOPLE_TRAINED = "people_trained", _("People trained")
    INVESTIGATIONS = "investigations", _("Investigations opened")
    OTHER = "other", _("Other")


class RecommendationSource(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    DECISION = "decision", _("Decision")
    CONFERENCE = "conference", _("Conference")
    EVALUATION = "evaluation", _("Evaluation")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIAL = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ReviewStatus(models.TextChoices):
    """The secretariat's validation of an implementation report."""

    PENDING = "pending", _("Awaiting validation")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned for more evidence")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")
