"""Who sees what of an entity (docs/decisions/0030-entities.md).

- An entity record is a `SharedRecord`: released when its contribution is submitted, like threat
  reports.
- Its statements follow it.
- An entity is seen by whoever sees at least one of its records (and then only those records'
  statements); it is changed through its records only.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ceiba.common import access
from ceiba.common.access import NOTHING, Action, Policy, Principal
from ceiba.sharing.policies import register_shared_record

from .choices import RELEASED_STATUSES
from .models import Entity, EntityRecord, EntityStatement


class FollowsRecordPolicy(Policy):
    """Rows seen and changed by whoever may see and change the entity record they belong to
    (`field` names the record, or `entity_id` subqueries for the entity itself)."""

    def __init__(self, record_policy: Policy, *, field: str, record_column: str = "pk") -> None:
        self.record_policy = record_policy
        self.field = field
        self.record_column = record_column

    def filter(self, principal: Principal, action: Action) -> Q:
        condition = self.record_policy.filter(principal, action)
        if condition == NOTHING:
            return NOTHING
        records = EntityRecord.objects.filter(condition).values(self.record_column)
        return Q(**{f"{self.field}__in": records})


class EntityPolicy(FollowsRecordPolicy):
    """An entity is member data: every view of one is audited."""

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        return True


def register_entities() -> None:
    records = register_shared_record(EntityRecord, released=Q(contribution__status__in=RELEASED_STATUSES))
    access.register(EntityStatement, FollowsRecordPolicy(records, field="record"))
    access.register(Entity, EntityPolicy(records, field="pk", record_column="entity_id"))
