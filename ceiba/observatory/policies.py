"""Who may see and change what in the observatory (ARCHITECTURE.md §4–5).

Indicators, values and releases are public; the secretariat edits them. Transparency measures are
public; a state's national focal point publishes its own state's, the secretariat anyone's. Alert
rules belong to the secretariat. An alert is seen by the secretariat and the national roles of the
state concerned; the public sees it only once the secretariat has reviewed and published it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ceiba.common import access
from ceiba.common.access import EVERYTHING, NOTHING, Action, Policy, Principal, PublicPolicy
from ceiba.core.choices import NATIONAL_ROLES, SECRETARIAT_ROLES, Role
from ceiba.sharing.policies import focal_point_state_ids

from .choices import AlertStatus
from .models import (
    Alert,
    AlertRule,
    ArmsRegisterReport,
    CacheStamp,
    ConfidenceMeasure,
    CountryAlias,
    Indicator,
    Observation,
    ObservationRevision,
    Release,
    WhitePaper,
)

EDITORS = (Role.SECRETARIAT_ADMIN, Role.SECRETARIAT_ANALYST)


class TransparencyPolicy(Policy):
    """Public records; the secretariat edits any, a focal point those of their own state."""

    def filter(self, principal: Principal, action: Action) -> Q:
        if action in (Action.VIEW, Action.EXPORT):
            return EVERYTHING
        if principal.has_role(*EDITORS):
            return EVERYTHING
        if principal.authenticated and principal.has_role(Role.NATIONAL_FOCAL_POINT):
            return Q(state_id__in=focal_point_state_ids(principal))
        return NOTHING


class SecretariatPolicy(Policy):
    """Records only the secretariat reads and edits (alert rules)."""

    def filter(self, principal: Principal, action: Action) -> Q:
        return EVERYTHING if principal.has_role(*SECRETARIAT_ROLES) else NOTHING


class AlertPolicy(Policy):
    """Secretariat: all. National roles: their own state's, and published ones. Others: published."""

    def filter(self, principal: Principal, action: Action) -> Q:
        published = Q(status=AlertStatus.PUBLISHED)
        if action in (Action.CHANGE, Action.DELETE):
            return EVERYTHING if principal.has_role(*SECRETARIAT_ROLES) else NOTHING
        if principal.has_role(*SECRETARIAT_ROLES):
            return EVERYTHING
        if principal.authenticated and principal.state_ids and principal.roles & NATIONAL_ROLES:
            return published | Q(state_id__in=principal.state_ids)
        return published


def register_all() -> None:
    public = PublicPolicy(*EDITORS)
    public_models: list[type[models.Model]] = [
        Indicator,
        Observation,
        ObservationRevision,
        Release,
        CountryAlias,
        CacheStamp,
    ]
    for model in public_models:
        access.register(model, public)
    transparency_models: list[type[models.Model]] = [WhitePaper, ArmsRegisterReport, ConfidenceMeasure]
    for model in transparency_models:
        access.register(model, TransparencyPolicy())
    access.register(AlertRule, SecretariatPolicy())
    access.register(Alert, AlertPolicy())
