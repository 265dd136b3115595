"""The access policy engine itself: fail closed, restrict, can, 404 for what is not shared."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured

from ceiba.common.access import Action, NotShared, access_object, can, principal_for, restrict
from ceiba.common.models import AuditEvent
from ceiba.core.choices import Role
from ceiba.core.models import User


def test_models_without_a_policy_are_refused(world) -> None:
    with pytest.raises(ImproperlyConfigured):
        restrict(Session, world.users["secretariat_admin"])


def test_anonymous_users_see_no_people(world) -> None:
    assert restrict(User, AnonymousUser()).count() == 0


def test_the_principal_reflects_active_memberships(world) -> None:
    principal = principal_for(world.users["national_focal_point"])
    assert principal.roles == {Role.NATIONAL_FOCAL_POINT}
    assert principal.state_ids == {world.arg.pk}
    assert not principal.secretariat
    assert principal_for(world.users["secretariat_analyst"]).secretariat


def test_ended_memberships_give_no_access(world) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import MembershipFactory, UserFactory

    today = timezone.localdate()
    person = UserFactory()
    MembershipFactory(
        user=person,
        organisation=world.arg_police,
        start_date=today - timedelta(days=30),
        end_date=today - timedelta(days=1),
    )
    principal = principal_for(User.objects.get(pk=person.pk))
    assert principal.roles == frozenset() and principal.state_ids == frozenset()
    assert not restrict(User, world.users["national_focal_point@other_state"]).filter(pk=person.pk).exists()


def test_access_object_answers_not_found_for_what_is_not_shared(world) -> None:
    with pytest.raises(NotShared):
        access_object(
            User, world.users["national_analyst@other_state"], pk=world.users["national_analyst"].pk
        )
    assert access_object(User, world.users["national_focal_point"], pk=world.users["national_analyst"].pk)


def test_only_the_secretariat_admin_may_change_people(world) -> None:
    target = world.users["national_analyst"]
    assert can(world.users["secretariat_admin"], target, Action.CHANGE)
    assert not can(world.users["secretariat_analyst"], target, Action.CHANGE)
    assert not can(world.users["national_focal_point"], target, Action.CHANGE)


def test_the_audit_trail_is_for_the_secretariat_only(world) -> None:
    assert restrict(AuditEvent, world.users["secretariat_analyst"]).count() == AuditEvent.objects.count()
    assert restrict(AuditEvent, world.users["national_focal_point"]).count() == 0
