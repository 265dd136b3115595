"""The committee's API (under /api/v1/policy/): the committee with its members and presidencies (read),
meetings (read per the access policy; the secretariat schedules, edits with `lock_version`, cancels
and deletes), agenda items, participants, decisions (create, new text version, positions, close,
publish) and the states' positions. Thin views over `committee_services`; a stale `lock_version`
answers 409, a service's validation error 400 with the field that is wrong."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from ceiba.common.access import Action, is_secretariat, restrict
from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.core.api.fields import StateField
from ceiba.core.models import Organisation
from ceiba.documentation.attachment_services import safe_file_name

from .. import committee_services as services
from ..choices import DecisionMethod, MajorityRule, Position, QuorumRule, Visibility
from ..models import (
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
from .fields import VisibleRelatedMixin

# --- serializers ------------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state.iso3", read_only=True)
    state_name = serializers.CharField(source="state.english_name", read_only=True)

    class Meta:
        model = CommitteeMember
        fields = ["id", "committee", "state", "state_name", "joined_on", "left_on"]
        read_only_fields = fields


class PresidencySerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state.iso3", read_only=True)

    class Meta:
        model = PresidencyTerm
        fields = ["id", "committee", "state", "starts_on", "ends_on"]
        read_only_fields = fields


class MemberInputSerializer(serializers.Serializer):
    committee = serializers.PrimaryKeyRelatedField(queryset=Committee.objects.all())
    state = StateField()
    joined_on = serializers.DateField()
    left_on = serializers.DateField(required=False, allow_null=True, default=None)


class MemberUpdateSerializer(serializers.Serializer):
    joined_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)


class PresidencyInputSerializer(serializers.Serializer):
    committee = serializers.PrimaryKeyRelatedField(queryset=Committee.objects.all())
    state = StateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class DocumentInputSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    title = serializers.CharField(max_length=250)
    language = serializers.CharField(max_length=8, help_text="The document's language: en, es, pt or fr.")
    agenda_item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(), required=False, allow_null=True, default=None
    )
    file = serializers.FileField(help_text="PDF, office document or image; checked from its bytes.")

    def validate_language(self, value: str) -> str:
        if value not in dict(settings.LANGUAGES):
            raise serializers.ValidationError(_("Choose one of the platform's languages."))
        return value


class MinutesInputSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(min_value=0)
    minutes = serializers.CharField(allow_blank=True, help_text="Markdown.")
    approved_on = serializers.DateField(required=False, allow_null=True, default=None)


class CommitteeSerializer(serializers.ModelSerializer):
    secretariat = serializers.CharField(source="secretariat.name", read_only=True)
    members = MemberSerializer(many=True, read_only=True)
    presidencies = PresidencySerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "name",
            "acronym",
            "description",
            "secretariat",
            "default_quorum",
            "default_majority",
            "cycle_years",
            "action_plan_years",
            "members",
            "presidencies",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting; on update, `lock_version` is the version the change starts from."""

    committee = serializers.PrimaryKeyRelatedField(queryset=Committee.objects.all())
    lock_version = serializers.IntegerField(min_value=0, required=False)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "title",
            "level",
            "format",
            "status",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "description",
            "visibility",
            "minutes",
            "minutes_approved_on",
            "lock_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The model's clean() runs in the service (one place for the rules).
        return attrs


class AgendaItemSerializer(VisibleRelatedMixin, serializers.ModelSerializer):
    visible_related = ("meeting",)
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "number", "title", "description"]
        read_only_fields = ["id", "number"]


class AgendaOrderSerializer(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.IntegerField(), help_text="Every agenda item's id, in order."
    )


class DocumentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = MeetingDocument
        fields = ["id", "meeting", "agenda_item", "title", "language", "download"]
        read_only_fields = fields

    def get_download(self, obj: MeetingDocument) -> str:
        from django.urls import reverse

        return reverse("policy-meeting-document-download", args=[obj.pk])


class ParticipantSerializer(VisibleRelatedMixin, serializers.ModelSerializer):
    visible_related = ("meeting",)
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    state = StateField(required=False, allow_null=True)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = MeetingParticipant
        fields = [
            "id",
            "meeting",
            "role",
            "state",
            "organisation",
            "name",
            "position",
            "head_of_delegation",
            "attended",
        ]
        read_only_fields = ["id"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.BooleanField(allow_null=True)


class DecisionTextSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionText
        fields = ["number", "text", "note", "created_at"]
        read_only_fields = fields


class PositionSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state.iso3", read_only=True)

    class Meta:
        model = StatePosition
        fields = ["id", "decision", "state", "position", "statement"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    texts = DecisionTextSerializer(many=True, read_only=True)
    positions = PositionSerializer(many=True, read_only=True)
    outcome = serializers.DictField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "agenda_item",
            "reference",
            "title",
            "method",
            "quorum",
            "majority",
            "status",
            "visibility",
            "decided_on",
            "published_at",
            "outcome",
            "lock_version",
            "texts",
            "positions",
        ]
        read_only_fields = fields


class DecisionInputSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_related = ("agenda_item",)
    agenda_item = serializers.PrimaryKeyRelatedField(queryset=AgendaItem.objects.all())
    reference = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=250)
    method = serializers.ChoiceField(choices=DecisionMethod.choices)
    quorum = serializers.ChoiceField(choices=QuorumRule.choices, required=False, default="")
    majority = serializers.ChoiceField(choices=MajorityRule.choices, required=False, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.RESTRICTED)
    text = serializers.CharField()


class TextInputSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(min_value=0)
    text = serializers.CharField()
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class PositionInputSerializer(serializers.Serializer):
    state = StateField()
    position = serializers.ChoiceField(choices=Position.choices)
    statement = serializers.CharField(required=False, default="", allow_blank=True)


class CloseInputSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(min_value=0)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)


class PublishInputSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(min_value=0)
    public = serializers.BooleanField(default=True)


class LockInputSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(min_value=0)


# --- views ------------------------------------------------------------------------------------------


class CommitteeViewSet(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The committee(s): member states, pro tempore presidencies, secretariat and default rules."""

    queryset = Committee.objects.select_related("secretariat").prefetch_related(
        "members__state", "presidencies__state"
    )
    serializer_class = CommitteeSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]


MEETING_WRITABLE = (*services.MEETING_FIELDS, "minutes", "minutes_approved_on")


class MeetingViewSet(PolicyQuerysetMixin, viewsets.ModelViewSet):
    """Meetings the caller may see (public ones without a token). The secretariat schedules them,
    edits them (with the `lock_version` it read: 409 when somebody saved in between), cancels them,
    reorders their agenda and deletes one without decisions."""

    queryset = Meeting.objects.select_related("committee")
    serializer_class = MeetingSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["committee", "level", "format", "status", "visibility"]
    ordering_fields = ["starts_at"]
    ordering = ["-starts_at", "-id"]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("lock_version", None)
        fields = {name: data[name] for name in services.MEETING_FIELDS if name in data}
        serializer.instance = services.meeting_create(
            actor=self.request.user, committee=data["committee"], **fields
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = self.get_object()
        serializer = self.get_serializer(meeting, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "lock_version" not in data:
            raise serializers.ValidationError(
                {"lock_version": [_("Give the version your change starts from.")]}
            )
        version = data.pop("lock_version")
        data.pop("committee", None)
        fields = {name: value for name, value in data.items() if name in MEETING_WRITABLE}
        meeting = services.meeting_update(
            actor=request.user, meeting=meeting, expected_version=version, **fields
        )
        return Response(MeetingSerializer(meeting).data)

    def perform_destroy(self, instance: Meeting) -> None:
        services.meeting_delete(actor=self.request.user, meeting=instance)

    @extend_schema(request=LockInputSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel a meeting that has not been held."""
        meeting = self.get_object()
        data = _valid(LockInputSerializer, request)
        meeting = services.meeting_cancel(
            actor=request.user,
            meeting=meeting,
            expected_version=data["lock_version"],
        )
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(request=AgendaOrderSerializer, responses=AgendaItemSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="agenda-order")
    def agenda_order(self, request: Request, pk: str | None = None) -> Response:
        """Renumber the agenda: every item's id once, in the new order."""
        meeting = self.get_object()
        data = _valid(AgendaOrderSerializer, request)
        items = services.agenda_reorder(actor=request.user, meeting=meeting, order=data["order"])
        return Response(AgendaItemSerializer(items, many=True).data)

    @extend_schema(request=MinutesInputSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request: Request, pk: str | None = None) -> Response:
        """Write or correct the minutes (Markdown) and the day they were approved (not for a cancelled
        meeting: 400); `lock_version` as read (409 when stale)."""
        meeting = self.get_object()
        data = _valid(MinutesInputSerializer, request)
        meeting = services.meeting_minutes(
            actor=request.user,
            meeting=meeting,
            expected_version=data["lock_version"],
            minutes=data["minutes"],
            approved_on=data["approved_on"],
        )
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(responses=DocumentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def documents(self, request: Request, pk: str | None = None) -> Response:
        """The meeting's documents, with the address that serves each one."""
        meeting = self.get_object()
        return Response(DocumentSerializer(meeting.documents.all(), many=True).data)


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _meeting_for_change(request: Request, meeting: Meeting) -> Meeting:
    """The meeting a new child record goes to: 404 when not visible, 403 for anyone but the
    secretariat (checked again in the service)."""
    if not restrict(Meeting.objects.filter(pk=meeting.pk), request.user, Action.VIEW).exists():
        raise serializers.ValidationError(
            {"meeting": [_("This meeting does not exist or is not shared with you.")]}
        )
    if not is_secretariat(request.user):
        raise PermissionDenied
    return meeting


class AgendaItemViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Agenda items of the meetings the caller may see; the secretariat adds and edits them."""

    queryset = AgendaItem.objects.select_related("meeting")
    serializer_class = AgendaItemSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["meeting"]
    ordering = ["meeting", "number"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        meeting = _meeting_for_change(self.request, data["meeting"])
        serializer.instance = services.agenda_item_add(
            actor=self.request.user,
            meeting=meeting,
            title=data["title"],
            description=data.get("description", ""),
        )

    def perform_update(self, serializer: Any) -> None:
        item = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.agenda_item_update(
            actor=self.request.user,
            item=item,
            title=data.get("title", item.title),
            description=data.get("description", item.description),
        )


class ParticipantViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Participants of the meetings the caller may see; the secretariat invites them and records
    their attendance."""

    queryset = MeetingParticipant.objects.select_related("meeting", "state", "organisation")
    serializer_class = ParticipantSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["meeting"]
    ordering = ["meeting", "role", "id"]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        meeting = _meeting_for_change(self.request, data.pop("meeting"))
        data.pop("attended", None)
        serializer.instance = services.participant_add(actor=self.request.user, meeting=meeting, **data)

    @extend_schema(request=AttendanceSerializer, responses=ParticipantSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        """Record whether the participant attended (true, false or null: not recorded)."""
        participant = self.get_object()
        data = _valid(AttendanceSerializer, request)
        services.attendance_record(
            actor=request.user,
            meeting=participant.meeting,
            attended={participant.pk: data["attended"]},
        )
        participant.refresh_from_db()
        return Response(ParticipantSerializer(participant).data)


class DecisionViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Decisions the caller may see (drafts: the secretariat and committee delegates; the public
    once published). The secretariat opens one on an agenda item, saves new versions of its text,
    records the states' positions, closes it (quorum and majority counted) and publishes it."""

    queryset = Decision.objects.select_related("meeting").prefetch_related("texts", "positions__state")
    serializer_class = DecisionSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["meeting", "status", "method", "visibility"]
    ordering = ["-meeting__starts_at", "reference"]

    @extend_schema(request=DecisionInputSerializer, responses={201: DecisionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open a draft decision on an agenda item, with its first text."""
        data = _valid(DecisionInputSerializer, request)
        _meeting_for_change(request, data["agenda_item"].meeting)
        decision = services.decision_create(actor=request.user, **data)
        return Response(DecisionSerializer(self._fresh(decision)).data, status=status.HTTP_201_CREATED)

    def _fresh(self, decision: Decision) -> Decision:
        return self.base_queryset().get(pk=decision.pk)

    @extend_schema(request=TextInputSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def texts(self, request: Request, pk: str | None = None) -> Response:
        """Save a new version of a draft decision's text."""
        decision = self.get_object()
        data = _valid(TextInputSerializer, request)
        services.decision_text_add(
            actor=request.user,
            decision=decision,
            expected_version=data["lock_version"],
            text=data["text"],
            note=data["note"],
        )
        return Response(DecisionSerializer(self._fresh(decision)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PositionInputSerializer, responses=PositionSerializer)
    @action(detail=True, methods=["post"])
    def positions(self, request: Request, pk: str | None = None) -> Response:
        """Record a member state's vote or position (a state that is not a member: 400)."""
        decision = self.get_object()
        data = _valid(PositionInputSerializer, request)
        position = services.position_record(actor=request.user, decision=decision, **data)
        return Response(PositionSerializer(position).data)

    @extend_schema(request=CloseInputSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Count the positions under the decision's rules; without quorum 400 and nothing saved."""
        decision = self.get_object()
        data = _valid(CloseInputSerializer, request)
        services.decision_close(
            actor=request.user,
            decision=decision,
            expected_version=data["lock_version"],
            decided_on=data["decided_on"],
        )
        return Response(DecisionSerializer(self._fresh(decision)).data)

    @extend_schema(request=PublishInputSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish a closed decision (`public: true`) or keep it restricted (`public: false`)."""
        decision = self.get_object()
        data = _valid(PublishInputSerializer, request)
        services.decision_publish(
            actor=request.user,
            decision=decision,
            expected_version=data["lock_version"],
            public=data["public"],
        )
        return Response(DecisionSerializer(self._fresh(decision)).data)


class PositionViewSet(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The states' positions on the decisions the caller may see."""

    queryset = StatePosition.objects.select_related("state", "decision")
    serializer_class = PositionSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["decision", "position"]
    ordering = ["decision", "state__english_name"]


# --- members, presidencies, documents ---------------------------------------------------------------


class CommitteeMemberViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The committee's member states (public). The secretariat administrator adds one (POST) and
    changes when it joined or left (PATCH); a state that is already a member: 400."""

    queryset = CommitteeMember.objects.select_related("state")
    serializer_class = MemberSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["committee"]
    ordering = ["committee", "state__english_name"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def policy_action(self) -> Action:
        return Action.VIEW

    @extend_schema(request=MemberInputSerializer, responses={201: MemberSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(MemberInputSerializer, request)
        member = services.committee_member_add(actor=request.user, **data)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberUpdateSerializer, responses=MemberSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = self.get_object()
        data = _valid(MemberUpdateSerializer, request)
        member = services.committee_member_update(actor=request.user, member=member, **data)
        return Response(MemberSerializer(member).data)


class PresidencyViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The pro tempore presidencies (public). The secretariat administrator records one (POST; an
    overlap or a state that is not a member: 400) and removes one recorded by mistake (DELETE)."""

    queryset = PresidencyTerm.objects.select_related("state")
    serializer_class = PresidencySerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["committee"]
    ordering = ["committee", "-starts_on"]

    def policy_action(self) -> Action:
        return Action.VIEW

    @extend_schema(request=PresidencyInputSerializer, responses={201: PresidencySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(PresidencyInputSerializer, request)
        term = services.presidency_add(actor=request.user, **data)
        return Response(PresidencySerializer(term).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        term = self.get_object()
        services.presidency_remove(actor=request.user, term=term)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeetingDocumentViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Documents of the meetings the caller may see, and their download (audited). The secretariat
    uploads one (multipart; size and type checked from the bytes: 400 otherwise) and removes one."""

    queryset = MeetingDocument.objects.select_related("meeting")
    serializer_class = DocumentSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["meeting", "agenda_item", "language"]
    ordering = ["meeting", "id"]

    def policy_action(self) -> Action:
        return Action.VIEW

    @extend_schema(request=DocumentInputSerializer, responses={201: DocumentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(DocumentInputSerializer, request)
        meeting = _meeting_for_change(request, data["meeting"])
        document = services.meeting_document_add(
            actor=request.user,
            meeting=meeting,
            upload=data["file"],
            title=data["title"],
            language=data["language"],
            agenda_item=data["agenda_item"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        document = self.get_object()
        services.meeting_document_remove(actor=request.user, document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, "The file.")}
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The stored file, as an attachment (never served from MEDIA_URL)."""
        document = self.get_object()
        services.meeting_document_downloaded(document=document, actor=request.user)
        name = (document.file.name or "").rsplit("/", 1)[-1]
        response = FileResponse(document.file.open("rb"), as_attachment=True, filename=safe_file_name(name))
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
