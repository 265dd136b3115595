"""Who may see and change what in the regional assessment (docs/decisions/0041).

- Methodologies are public (that is the point: the weights are published); the secretariat
  administrator writes new versions.
- Indicator tables are public reference data; the secretariat imports them.
- A run is read by the secretariat; a restricted run also by committee delegates unless one of its
  inputs is TLP:RED (then the secretariat only); a public run by committee delegates while it is
  being prepared and by everyone once published. Nobody changes a run's numbers; the secretariat
  edits the rationales, freezes and hands over the priorities and publishes public runs.
- Recommended priorities follow their run.
"""

from __future__ import annotations

from django.db.models import Q

from ceiba.common import access
from ceiba.common.access import EVERYTHING, NOTHING, Action, Policy, Principal, PublicPolicy, is_secretariat
from ceiba.core.choices import Role
from ceiba.sharing.choices import TLP

from .choices import Audience
from .models import AssessmentRun, IndicatorTable, MethodologyVersion, RecommendedPriority


class RunPolicy(Policy):
    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix

    def _q(self, **conditions: object) -> Q:
        return Q(**{f"{self.prefix}{name}": value for name, value in conditions.items()})

    def filter(self, principal: Principal, action: Action) -> Q:
        secretariat = principal.authenticated and is_secretariat(principal)
        if action in (Action.CHANGE,):
            return EVERYTHING if secretariat else NOTHING
        if action == Action.DELETE:
            return NOTHING
        if secretariat:
            return EVERYTHING
        published = self._q(audience=Audience.PUBLIC) & ~self._q(published_at=None)
        if principal.authenticated and principal.has_role(Role.COMMITTEE_DELEGATE):
            return self._q(audience=Audience.PUBLIC) | (
                self._q(audience=Audience.RESTRICTED) & ~self._q(tlp=TLP.RED)
            )
        return published

    def is_restricted(self, obj: object, principal: Principal) -> bool:
        """Viewing a restricted run is audited; a public one is not."""
        run = obj.run if isinstance(obj, RecommendedPriority) else obj
        return getattr(run, "audience", Audience.RESTRICTED) != Audience.PUBLIC


def register_all() -> None:
    access.register(MethodologyVersion, PublicPolicy(Role.SECRETARIAT_ADMIN))
    access.register(IndicatorTable, PublicPolicy(Role.SECRETARIAT_ADMIN, Role.SECRETARIAT_ANALYST))
    access.register(AssessmentRun, RunPolicy())
    access.register(RecommendedPriority, RunPolicy("run__"))
