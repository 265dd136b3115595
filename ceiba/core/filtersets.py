"""Filters shared by the directory pages and the API (one FilterSet for both)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceiba.common.models import AuditAction, AuditEvent

from .choices import OrganisationType, Role, Subregion
from .models import Membership, Notification, Organisation, State, User


class StateFilterSet(django_filters.FilterSet):
    subregion = django_filters.ChoiceFilter(
        label=_("Subregion"), choices=Subregion.choices, empty_label=_("All subregions")
    )
    member = django_filters.ChoiceFilter(
        label=_("Committee member"),
        choices=[("true", _("Members")), ("false", _("Non-members"))],
        empty_label=_("All states"),
        method="filter_member",
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = State
        fields = ["subregion", "member", "q"]

    def filter_member(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        if value not in ("true", "false"):
            return queryset
        member = Q(committee_member_since__isnull=False, committee_member_since__lte=timezone.localdate())
        return queryset.filter(member) if value == "true" else queryset.exclude(member)

    def filter_q(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        value = value.strip()
        if not value:
            return queryset
        from babel import Locale

        needle = value.casefold()
        iso2 = {
            code
            for language in ("es", "pt", "en", "fr")
            for code, label in Locale.parse(language).territories.items()
            if needle in label.casefold()
        }
        return queryset.filter(Q(iso3__iexact=value) | Q(iso2__in=iso2) | Q(english_name__icontains=value))


class OrganisationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=OrganisationType.choices, empty_label=_("All types")
    )
    state = django_filters.CharFilter(
        label=_("State (ISO code)"), field_name="state__iso3", lookup_expr="iexact"
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    active = django_filters.BooleanFilter(label=_("Active"), field_name="is_active")

    class Meta:
        model = Organisation
        fields = ["kind", "state", "q", "active"]

    def filter_q(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(acronym__icontains=value)) if value else queryset


class MembershipFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices, empty_label=_("All roles"))
    organisation = django_filters.NumberFilter(label=_("Organisation"), field_name="organisation_id")
    state = django_filters.CharFilter(
        label=_("State (ISO code)"), field_name="organisation__state__iso3", lookup_expr="iexact"
    )

    class Meta:
        model = Membership
        fields = ["role", "organisation", "state"]


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, empty_label=_("All roles"), method="filter_role"
    )
    state = django_filters.CharFilter(label=_("State (ISO code)"), method="filter_state")

    class Meta:
        model = User
        fields = ["q", "role", "state"]

    def filter_q(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        value = value.strip()
        return (
            queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value)) if value else queryset
        )

    def filter_role(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return (
            queryset.filter(pk__in=Membership.objects.active().filter(role=value).values("user_id"))
            if value
            else queryset
        )

    def filter_state(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        if not value:
            return queryset
        members = Membership.objects.active().filter(organisation__state__iso3__iexact=value.strip())
        return queryset.filter(pk__in=members.values("user_id"))


class AuditEventFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditAction.choices, empty_label=_("All actions")
    )
    actor = django_filters.CharFilter(
        label=_("Actor (e-mail)"), field_name="actor_label", lookup_expr="icontains"
    )
    object_type = django_filters.CharFilter(label=_("Record type"), lookup_expr="iexact")
    since = django_filters.DateFilter(label=_("From"), field_name="created_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("Until"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "object_type", "since", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("since", "until"):
            self.filters[name].field.widget.input_type = "date"


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(label=_("Unread only"), method="filter_unread")
    kind = django_filters.CharFilter(label=_("Kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def filter_unread(self, queryset: QuerySet[Notification], name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)
