"""Input and output shapes of the directory API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ceiba.core.choices import NotificationChannel
from ceiba.core.models import Membership, Notification, Organisation, State, User

from .fields import StateField


class StateSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="Name in the language of the request (CLDR).")
    is_committee_member = serializers.BooleanField(read_only=True)

    class Meta:
        model = State
        fields = [
            "iso3",
            "iso2",
            "numeric",
            "name",
            "english_name",
            "subregion",
            "committee_member_since",
            "is_committee_member",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    state = StateField(
        allow_null=True,
        required=False,
        help_text="ISO 3166 alpha-3 code of the state the organisation belongs to.",
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "acronym",
            "kind",
            "state",
            "website",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = Organisation(
            **{
                **(
                    {}
                    if self.instance is None
                    else {
                        f: getattr(self.instance, f)
                        for f in ("name", "acronym", "kind", "state", "website", "is_active")
                    }
                ),
                **attrs,
            }
        )
        instance.full_clean(validate_unique=False)  # DRF turns its ValidationError into field errors
        return attrs


class MembershipSerializer(serializers.ModelSerializer):
    person: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        source="user", read_only=True
    )
    person_name = serializers.CharField(source="user.full_name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    state = serializers.CharField(
        source="organisation.state.iso3", read_only=True, allow_null=True, default=None
    )
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "state",
            "role",
            "title",
            "start_date",
            "end_date",
            "is_active",
        ]


class MembershipInputSerializer(serializers.ModelSerializer):
    person: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        source="user", queryset=User.objects.filter(is_active=True)
    )

    class Meta:
        model = Membership
        fields = ["person", "organisation", "role", "title", "start_date", "end_date"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        Membership(**attrs).clean()  # DRF turns its ValidationError into field errors
        return attrs


class PersonMembershipSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    state = serializers.CharField(
        source="organisation.state.iso3", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "state",
            "role",
            "title",
            "start_date",
            "end_date",
        ]


class PersonSerializer(serializers.ModelSerializer):
    memberships = PersonMembershipSerializer(source="current_memberships", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "full_name", "email", "is_synthetic", "memberships"]


class CurrentUserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    memberships = PersonMembershipSerializer(source="active_memberships", many=True, read_only=True)
    requires_second_factor = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "language",
            "is_synthetic",
            "roles",
            "memberships",
            "requires_second_factor",
        ]
        read_only_fields = ["id", "email", "is_synthetic"]

    def get_roles(self, obj: User) -> list[str]:
        return sorted(obj.roles)


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class NotificationPreferenceSerializer(serializers.Serializer):
    """One registered kind of notification and how the caller receives it."""

    kind = serializers.CharField(read_only=True, help_text="Key of the kind, e.g. policy.report_due.")
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # a field, not Field.label
    description = serializers.CharField(read_only=True)
    default_channel = serializers.ChoiceField(choices=NotificationChannel.choices, read_only=True)
    channel = serializers.ChoiceField(
        choices=NotificationChannel.choices, help_text="inbox, email, both or none."
    )


class NotificationReadAllSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many notifications were unread.")
