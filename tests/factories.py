"""Factories for directory records: every invented person is marked synthetic."""

from __future__ import annotations

import factory
from django.utils import timezone

from ceiba.core.choices import OrganisationType, Role, Subregion
from ceiba.core.models import Membership, Notification, Organisation, State, User


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("iso3",)

    iso3 = "ARG"
    iso2 = "AR"
    numeric = "032"
    english_name = "Argentina"
    subregion = Subregion.SOUTHERN_CONE


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test organisation {n}")
    kind = OrganisationType.POLICE
    state = factory.LazyFunction(lambda: State.objects.get(iso3="ARG"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.ceiba.example")
    full_name = factory.Sequence(lambda n: f"Test Person {n} (synthetic)")
    is_synthetic = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.NATIONAL_ANALYST
    start_date = factory.LazyFunction(timezone.localdate)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test.deadline"
    subject = factory.Sequence(lambda n: f"Test notification {n}")
    body = "A synthetic notification."
    url = "/dashboard/"
