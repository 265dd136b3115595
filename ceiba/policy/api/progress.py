"""API of progress reporting: progress reports (list what the caller may read; create one, by the
action's leader), the upload of a progress file (400 problem+json listing every bad cell by row and
field, nothing saved) and the rollup of a cycle's progress."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ceiba.common.access import Action, access_object, principal_for, restrict
from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.common.problems import PROBLEM_CONTENT_TYPE, problem_body
from ceiba.core.api.fields import StateField
from ceiba.core.models import Organisation, State
from ceiba.policy import progress_selectors as selectors
from ceiba.policy import progress_services as services
from ceiba.policy.choices import ActionStatus, ResultKind
from ceiba.policy.models import OperationalAction, OperationalActionPlan, PolicyCycle, ProgressReport
from ceiba.policy.policies import is_member
from ceiba.sharing.choices import TLP, Scope


class KpiValueSerializer(serializers.Serializer):
    kpi = serializers.CharField(help_text="The KPI's code within the action.")
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    unit = serializers.CharField(help_text="Must be the KPI's own unit (e.g. `persons`).")


class ResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResultKind.choices)
    quantity = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=250)


class ProgressReportSerializer(serializers.ModelSerializer):
    action = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    state = StateField(read_only=True)
    shared_with_states = StateField(many=True, read_only=True)
    kpi_values = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "action",
            "organisation",
            "state",
            "period_start",
            "period_end",
            "status",
            "progress",
            "narrative",
            "tlp",
            "scope",
            "shared_with_states",
            "shared_with_organisations",
            "import_batch",
            "lock_version",
            "kpi_values",
            "created_at",
        ]

    @extend_schema(exclude=False)
    def get_kpi_values(self, report: ProgressReport) -> list[dict[str, str]]:
        return [
            {"kpi": value.kpi.code, "value": str(value.value), "unit": value.unit}
            for value in report.kpi_values.all()
        ]


class ProgressReportInputSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="The action's code.")
    organisation = serializers.IntegerField(
        required=False, allow_null=True, help_text="The reporting agency (default: your leading agency)."
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    narrative = serializers.CharField()
    tlp = serializers.ChoiceField(choices=TLP.choices, default=TLP.AMBER)
    scope = serializers.ChoiceField(
        choices=Scope.choices,
        default=Scope.SECRETARIAT,
        help_text="secretariat, named or all_members (a progress report always reaches the secretariat).",
    )
    shared_with_states = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="ISO3 codes."
    )
    shared_with_organisations = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    kpi_values = KpiValueSerializer(many=True, required=False, default=list)
    results = ResultSerializer(many=True, required=False, default=list)


def _problem(request: Request, code: int, detail: str, errors: list[dict[str, Any]]) -> Response:
    titles = {400: "Invalid request", 403: "Not allowed"}
    body = problem_body(status=code, title=titles[code], detail=detail, instance=request.path, errors=errors)
    return Response(body, status=code, content_type=PROBLEM_CONTENT_TYPE)


class ProgressReportListView(PolicyQuerysetMixin):
    """Progress reports the caller may read (the secretariat all; a state its own; others what the
    state shared). POST files one, by the action's leader only: 404 for an action the caller cannot
    see, 403 for one they do not lead, 400 naming every bad field (nothing saved)."""

    queryset = ProgressReport.objects.select_related("action", "state").prefetch_related(
        "kpi_values__kpi", "shared_with_states", "shared_with_organisations"
    )
    serializer_class = ProgressReportSerializer
    parser_classes = [JSONParser]
    ordering = ["action__code", "-period_end"]

    def policy_action(self) -> Action:
        return Action.VIEW

    @extend_schema(operation_id="policy_progress_reports_list")
    def get(self, request: Request) -> Response:
        queryset = self.get_queryset().order_by("action__code", "-period_end")
        action = request.query_params.get("action")
        if action:
            queryset = queryset.filter(action__code=action)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ProgressReportInputSerializer, responses={201: ProgressReportSerializer})
    def post(self, request: Request) -> Response:
        payload = ProgressReportInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        action = access_object(OperationalAction, request.user, Action.VIEW, code=data["action"])
        if not services.may_report(request.user, action):
            raise PermissionDenied(str(services.NotLeader().args[0]))
        organisation = None
        if data.get("organisation"):
            organisation = Organisation.objects.filter(pk=data["organisation"]).first()
            if organisation is None:
                return _problem(
                    request, 400, "organisation: unknown", [{"field": "organisation", "message": "unknown"}]
                )
        states = list(State.objects.filter(iso3__in=data["shared_with_states"]))
        unknown = set(data["shared_with_states"]) - {s.iso3 for s in states}
        if unknown:
            message = f"unknown state codes: {', '.join(sorted(unknown))}"
            return _problem(request, 400, message, [{"field": "shared_with_states", "message": message}])
        try:
            report = services.progress_report_file(
                actor=request.user,  # type: ignore[arg-type]
                action=action,
                organisation=organisation,
                period_start=data["period_start"],
                period_end=data["period_end"],
                status=data["status"],
                progress=data["progress"],
                narrative=data["narrative"],
                kpi_values=data["kpi_values"],
                results=data["results"],
                tlp=data["tlp"],
                scope=data["scope"],
                shared_with_states=states,
                shared_with_organisations=Organisation.objects.filter(
                    pk__in=data["shared_with_organisations"]
                ),
            )
        except DjangoValidationError as error:
            errors = [
                {"field": "" if name == "__all__" else name, "message": message}
                for name, messages in error.message_dict.items()
                for message in messages
            ]
            return _problem(request, 400, "; ".join(e["message"] for e in errors), errors)
        report = self.queryset.get(pk=report.pk)
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ProgressReportCorrectionSerializer(serializers.Serializer):
    """A correction: `lock_version` (the version read; 409 when stale) and the fields that change.
    `kpi_values`, when given, replaces all the report's KPI values."""

    lock_version = serializers.IntegerField(min_value=0)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    narrative = serializers.CharField(required=False)
    tlp = serializers.ChoiceField(choices=TLP.choices, required=False)
    scope = serializers.ChoiceField(choices=Scope.choices, required=False)
    shared_with_states = serializers.ListField(child=serializers.CharField(), required=False)
    shared_with_organisations = serializers.ListField(child=serializers.IntegerField(), required=False)
    kpi_values = KpiValueSerializer(many=True, required=False)


class ProgressReportDetailView(PolicyQuerysetMixin):
    """One progress report (404 when the caller may not read it). PATCH corrects it: the reporting
    agency's action leaders and the state's focal point only (403 for others), with the
    `lock_version` read (409 when somebody corrected it in between); the action's status, progress
    and KPI actuals follow its latest report again."""

    queryset = ProgressReportListView.queryset
    serializer_class = ProgressReportSerializer
    parser_classes = [JSONParser]

    def policy_action(self) -> Action:
        return Action.VIEW

    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=ProgressReportCorrectionSerializer, responses=ProgressReportSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        report = self.get_object()
        if not services.may_correct(request.user, report):
            raise PermissionDenied(str(services.NotCorrector().args[0]))
        payload = ProgressReportCorrectionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("lock_version")
        states = None
        if "shared_with_states" in data:
            codes = data.pop("shared_with_states")
            states = list(State.objects.filter(iso3__in=codes))
            unknown = set(codes) - {s.iso3 for s in states}
            if unknown:
                message = f"unknown state codes: {', '.join(sorted(unknown))}"
                return _problem(request, 400, message, [{"field": "shared_with_states", "message": message}])
        organisations = None
        if "shared_with_organisations" in data:
            organisations = list(Organisation.objects.filter(pk__in=data.pop("shared_with_organisations")))
        try:
            services.progress_report_update(
                actor=request.user,  # type: ignore[arg-type]
                report=report,
                expected_version=version,
                shared_with_states=states,
                shared_with_organisations=organisations,
                **data,
            )
        except DjangoValidationError as error:
            errors = [
                {"field": "" if name == "__all__" else name, "message": message}
                for name, messages in error.message_dict.items()
                for message in messages
            ]
            return _problem(request, 400, "; ".join(e["message"] for e in errors), errors)
        report = self.queryset.get(pk=report.pk)
        return Response(ProgressReportSerializer(report).data)


class ProgressImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX, one row per KPI value (see the template).")


class ProgressImportView(PolicyQuerysetMixin):
    """Upload a progress file (multipart `file`): 201 with the batch id and the reports filed, or 400
    problem+json whose `errors` list every bad cell as {row, field, message}; nothing is saved then."""

    queryset = ProgressReport.objects.all()
    serializer_class = ProgressImportInputSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=ProgressImportInputSerializer,
        responses={
            201: inline_serializer(
                "ProgressImportResult",
                {
                    "batch": serializers.CharField(),
                    "reports": serializers.ListField(child=serializers.IntegerField()),
                },
            )
        },
    )
    def post(self, request: Request) -> Response:
        if not services.leader_memberships(request.user).exists():
            raise PermissionDenied(str(services.NotLeader().args[0]))
        payload = ProgressImportInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            result = services.progress_import(actor=request.user, upload=payload.validated_data["file"])  # type: ignore[arg-type]
        except services.ProgressImportError as error:
            errors = [issue.as_dict() for issue in error.issues]
            detail = f"{len(errors)} problem(s) in the file; nothing was saved."
            return _problem(request, 400, detail, errors)
        return Response(
            {"batch": result.batch, "reports": [report.pk for report in result.reports]},
            status=status.HTTP_201_CREATED,
        )


class CycleRollupView(PolicyQuerysetMixin):
    """The progress of a cycle rolled up (action -> plan -> priority -> cycle, weighted) as the
    caller sees it: members only."""

    queryset = PolicyCycle.objects.all()
    serializer_class = None
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={
            200: inline_serializer(
                "ProgressRollup",
                {
                    "level": serializers.CharField(),
                    "id": serializers.IntegerField(allow_null=True),
                    "label": serializers.CharField(),
                    "progress": serializers.FloatField(allow_null=True),
                    "weight": serializers.FloatField(),
                    "children": serializers.ListField(child=serializers.DictField()),
                },
            )
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        if not is_member(principal_for(request.user)):
            raise PermissionDenied()
        cycle = self.get_object()
        plans = list(
            restrict(OperationalActionPlan, request.user, Action.VIEW)
            .filter(priority__cycle=cycle)
            .select_related("priority")
        )
        board = selectors.dashboard(
            request.user,
            key=f"cycle:{cycle.pk}",
            priorities=list(cycle.priorities.order_by("code")),
            plans=plans,
            today=timezone.localdate(),
        )
        board.labels[f"cycle:{cycle.pk}"] = str(cycle)
        return Response(selectors.api_tree(board.tree, board.labels))
