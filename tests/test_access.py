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


@pytest.mark.parametrize("action", [Action.VIEW, Action.CHANGE])
def test_every_policy_reaches_the_same_records_with_the_principals_grants_as_without(world, action) -> None:
    """A principal resolved for a request carries its memberships (`grants`), and the policies then
    write their ids into the SQL; one built without them reads the memberships in a subquery. Both
    must reach exactly the same records, for every registered model and every demo persona."""
    import dataclasses

    from ceiba.common import access
    from ceiba.core.models import Membership, Organisation, State
    from ceiba.sharing.choices import Scope
    from tests.documentation.factories import OTHER_STATE, contribution_for, open_cycle, report_in, submit
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
    from tests.policy.factories import small_cycle

    # Records for the rules to tell apart: the small policy cycle (plans, actions, progress and
    # implementation reports) and a released threat report of each scope from two states.
    small_cycle(world)
    cycle = open_cycle(world)
    for originator in ("ARG", "BRA"):
        contribution = contribution_for(world, cycle, originator)
        for scope in Scope:
            named = scope == Scope.NAMED
            report_in(
                world,
                contribution,
                tlp="amber",
                scope=scope,
                states=[State.objects.get(iso3=OTHER_STATE[originator])] if named else [],
                organisations=[Organisation.objects.get(acronym="AMERIPOL")] if named else [],
            )
        submit(world, contribution)

    people = dict(world.users)
    # People with several hats at once: the grants must keep each role's reach apart.
    many_hats = UserFactory()
    for persona in (
        "national_analyst",
        "forum_participant",
        "action_participant",
        "committee_delegate@other_state",
    ):
        for membership in Membership.objects.active().filter(user=world.users[persona]):
            MembershipFactory(user=many_hats, organisation=membership.organisation, role=membership.role)
    people["many hats"] = many_hats
    # And a state that is not (yet) a committee member, next to one that is.
    outsider = State.objects.filter(committee_member_since__isnull=True).first()
    assert outsider is not None
    non_member = UserFactory()
    for role in (Role.COMMITTEE_DELEGATE, Role.NATIONAL_FOCAL_POINT):
        MembershipFactory(user=non_member, organisation=OrganisationFactory(state=outsider), role=role)
    MembershipFactory(user=non_member, organisation=world.arg_police, role=Role.FORUM_PARTICIPANT)
    people["non-member state"] = non_member

    checked = 0
    for persona, person in people.items():
        user = User.objects.get(pk=person.pk)
        principal = principal_for(user)
        assert principal.grants is not None, persona
        without = dataclasses.replace(principal, grants=None)
        for model, policy in access._registry.items():
            manager = model._default_manager
            reached = set(manager.filter(policy.filter(principal, action)).values_list("pk", flat=True))
            expected = set(manager.filter(policy.filter(without, action)).values_list("pk", flat=True))
            assert reached == expected, (persona, model._meta.label, action)
            checked += bool(expected)
    assert checked >= (40 if action == Action.VIEW else 5)  # the demo gives them records to compare


def test_the_one_secretariat_rule_takes_a_user_or_a_principal(world) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from ceiba.common.access import is_secretariat, require_secretariat

    for persona, user in world.users.items():
        expected = persona.startswith("secretariat_")
        assert is_secretariat(user) is expected, persona
        assert is_secretariat(principal_for(user)) is expected, persona
    assert not is_secretariat(AnonymousUser())
    superuser = User.objects.get(pk=world.users["forum_participant"].pk)
    superuser.is_superuser = True
    assert is_secretariat(superuser)
    with pytest.raises(PermissionDenied, match="Only the secretariat"):
        require_secretariat(world.users["national_focal_point"], "Only the secretariat does this.")
    require_secretariat(world.users["secretariat_analyst"], "Only the secretariat does this.")
