"""The plans' API (under /api/v1/policy/): cycles, priorities (with adoption from an assessment run
whose recommended priorities were handed over), strategic plans and goals, horizontal goals,
operational action plans, actions and their KPIs, actors and results.

Everyone reads what the access policy lets them read (other records answer 404); the secretariat
writes (its administrator the horizontal goals) through `plan_services`. Updates of cycles, priorities,
horizontal goals, strategic plans and goals, action plans and actions name the `lock_version` they
started from: a stale one answers 409 and changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from ceiba.assessment.models import AssessmentRun, RecommendedPriority
from ceiba.common.access import Action, is_secretariat, restrict
from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.core.api.fields import StateField
from ceiba.documentation.models import CrimeArea
from ceiba.policy import plan_services as services
from ceiba.policy.models import (
    ActionActor,
    ActionResult,
    Decision,
    HorizontalGoal,
    Kpi,
    OperationalAction,
    OperationalActionPlan,
    PolicyCycle,
    Priority,
    StrategicGoal,
    StrategicPlan,
)
from ceiba.policy.progress_selectors import with_visible_actual

LOCK_HELP = "The version of the record the edit started from; a stale one answers 409."


def _lock_version() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, required=False, write_only=True, help_text=LOCK_HELP)


# --------------------------------------------------------------------------------------------------
# Output shapes


class PolicyCycleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyCycle
        fields = ["id", "committee", *services.CYCLE_FIELDS, "lock_version"]
        read_only_fields = fields


class PolicyPrioritySerializer(serializers.ModelSerializer):
    driver = StateField(read_only=True)
    co_drivers = StateField(many=True, read_only=True)
    crime_area: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Priority
        fields = [
            "id",
            "cycle",
            "code",
            "title",
            "description",
            "crime_area",
            "origin",
            "recommended_priority",
            "rationale",
            "decision",
            "driver",
            "co_drivers",
            "weight",
            "lock_version",
        ]
        read_only_fields = fields


class HorizontalGoalSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the request's language.")

    class Meta:
        model = HorizontalGoal
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "name_es",
            "name_pt",
            "name_fr",
            "order",
            "active",
            "lock_version",
        ]
        read_only_fields = fields


class StrategicGoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategicGoal
        fields = ["id", "plan", "code", "title", "description", "horizontal_goal", "lock_version"]
        read_only_fields = fields


class StrategicPlanSerializer(serializers.ModelSerializer):
    goals = StrategicGoalSerializer(many=True, read_only=True)

    class Meta:
        model = StrategicPlan
        fields = [
            "id",
            "priority",
            "title",
            "summary",
            "starts_on",
            "ends_on",
            "status",
            "decision",
            "goals",
            "lock_version",
        ]
        read_only_fields = fields


class OperationalActionPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = OperationalActionPlan
        fields = [
            "id",
            "priority",
            "title",
            "starts_on",
            "ends_on",
            "status",
            "reporting_months",
            "decision",
            "lock_version",
        ]
        read_only_fields = fields


class ActionKpiSerializer(serializers.ModelSerializer):
    actual = serializers.DecimalField(
        source="visible_actual",
        max_digits=16,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="The latest value among the progress reports the caller may read.",
    )

    class Meta:
        model = Kpi
        fields = ["id", "action", "code", "name", "unit", "direction", "baseline", "target", "actual"]
        read_only_fields = fields


class ActionActorSerializer(serializers.ModelSerializer):
    state = StateField(read_only=True, allow_null=True)

    class Meta:
        model = ActionActor
        fields = ["id", "action", "role", "state", "organisation"]
        read_only_fields = fields


class ActionResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionResult
        fields = ["id", "action", "kind", "quantity", "description"]
        read_only_fields = fields


class OperationalActionSerializer(serializers.ModelSerializer):
    leader_state = StateField(read_only=True, allow_null=True)
    kpis = ActionKpiSerializer(many=True, read_only=True)
    actors = ActionActorSerializer(many=True, read_only=True)
    results = ActionResultSerializer(many=True, read_only=True)

    class Meta:
        model = OperationalAction
        fields = [
            "id",
            "plan",
            "code",
            "title",
            "description",
            "goal",
            "leader_state",
            "leader_organisation",
            "starts_on",
            "ends_on",
            "budget",
            "currency",
            "funding_source",
            "status",
            "progress",
            "weight",
            "kpis",
            "actors",
            "results",
            "lock_version",
        ]
        read_only_fields = fields


# --------------------------------------------------------------------------------------------------
# Input shapes (the services validate the rest and name the field of each error)


class PolicyCycleInputSerializer(serializers.ModelSerializer):
    ends_on = serializers.DateField(
        required=False, allow_null=True, help_text="Empty: the committee's cycle length (e.g. four years)."
    )
    assessment_run = serializers.PrimaryKeyRelatedField(
        queryset=AssessmentRun.objects.all(), required=False, allow_null=True
    )
    lock_version = _lock_version()

    class Meta:
        model = PolicyCycle
        fields = ["committee", *services.CYCLE_FIELDS, "lock_version"]


class PolicyPriorityInputSerializer(serializers.ModelSerializer):
    driver = StateField()
    co_drivers = StateField(many=True, required=False)
    crime_area = serializers.SlugRelatedField(
        slug_field="code", queryset=CrimeArea.objects.all(), required=False, allow_null=True
    )
    lock_version = _lock_version()

    class Meta:
        model = Priority
        fields = [
            "cycle",
            "code",
            "title",
            "description",
            "rationale",
            "crime_area",
            "decision",
            "driver",
            "co_drivers",
            "weight",
            "lock_version",
        ]
        extra_kwargs = {"code": {"required": False}}
        validators: list[Any] = []


class PriorityAdoptionInputSerializer(serializers.Serializer):
    recommended_priority = serializers.PrimaryKeyRelatedField(queryset=RecommendedPriority.objects.all())
    driver = StateField()
    co_drivers = StateField(many=True, required=False)
    code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    rationale = serializers.CharField(required=False, allow_blank=True, default="")


class PriorityAdoptInputSerializer(serializers.Serializer):
    """Recommended priorities of a run handed over to the committee, adopted by the cycle."""

    run = serializers.IntegerField(help_text="Id of an assessment run whose priorities were handed over.")
    decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.all(), required=False, allow_null=True
    )
    adoptions = PriorityAdoptionInputSerializer(many=True)


class HorizontalGoalInputSerializer(serializers.ModelSerializer):
    lock_version = _lock_version()

    class Meta:
        model = HorizontalGoal
        fields = ["code", "name_en", "name_es", "name_pt", "name_fr", "order", "active", "lock_version"]
        extra_kwargs = {"order": {"required": False}, "active": {"required": False}}


class StrategicPlanInputSerializer(serializers.ModelSerializer):
    starts_on = serializers.DateField(required=False, help_text="Empty: the cycle's start.")
    ends_on = serializers.DateField(required=False, help_text="Empty: the cycle's end.")
    horizontal_goals = serializers.PrimaryKeyRelatedField(
        queryset=HorizontalGoal.objects.filter(active=True),
        many=True,
        required=False,
        help_text="On creation: a strategic goal is added for each of these horizontal goals.",
    )
    lock_version = _lock_version()

    class Meta:
        model = StrategicPlan
        fields = [
            "priority",
            "title",
            "summary",
            "starts_on",
            "ends_on",
            "status",
            "decision",
            "horizontal_goals",
            "lock_version",
        ]
        validators: list[Any] = []


class StrategicGoalInputSerializer(serializers.ModelSerializer):
    lock_version = _lock_version()

    class Meta:
        model = StrategicGoal
        fields = ["plan", "code", "title", "description", "horizontal_goal", "lock_version"]
        validators: list[Any] = []


class OperationalActionPlanInputSerializer(serializers.ModelSerializer):
    ends_on = serializers.DateField(
        required=False, allow_null=True, help_text="Empty: the committee's period (1 or 2 years)."
    )
    lock_version = _lock_version()

    class Meta:
        model = OperationalActionPlan
        fields = [
            "priority",
            "title",
            "starts_on",
            "ends_on",
            "reporting_months",
            "status",
            "decision",
            "lock_version",
        ]


class ActionKpiInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kpi
        fields = ["action", "code", "name", "unit", "direction", "baseline", "target"]
        validators: list[Any] = []


class ActionActorInputSerializer(serializers.ModelSerializer):
    state = StateField(required=False, allow_null=True)

    class Meta:
        model = ActionActor
        fields = ["action", "role", "state", "organisation"]


class ActionResultInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionResult
        fields = ["action", "kind", "quantity", "description"]


class NestedActionKpiSerializer(ActionKpiInputSerializer):
    class Meta(ActionKpiInputSerializer.Meta):
        fields = ["code", "name", "unit", "direction", "baseline", "target"]


class NestedActionActorSerializer(ActionActorInputSerializer):
    class Meta(ActionActorInputSerializer.Meta):
        fields = ["role", "state", "organisation"]


class NestedActionResultSerializer(ActionResultInputSerializer):
    class Meta(ActionResultInputSerializer.Meta):
        fields = ["kind", "quantity", "description"]


class OperationalActionInputSerializer(serializers.ModelSerializer):
    leader_state = StateField(required=False, allow_null=True)
    kpis = NestedActionKpiSerializer(many=True, required=False, help_text="On creation only.")
    actors = NestedActionActorSerializer(many=True, required=False, help_text="On creation only.")
    results = NestedActionResultSerializer(many=True, required=False, help_text="On creation only.")
    lock_version = _lock_version()

    class Meta:
        model = OperationalAction
        fields = [
            "plan",
            "code",
            "title",
            "description",
            "goal",
            "leader_state",
            "leader_organisation",
            "starts_on",
            "ends_on",
            "budget",
            "currency",
            "funding_source",
            "status",
            "weight",
            "kpis",
            "actors",
            "results",
            "lock_version",
        ]
        validators: list[Any] = []
        extra_kwargs: dict[str, Any] = {"code": {"validators": []}}


# --------------------------------------------------------------------------------------------------
# Views


class PlanViewSet(
    PolicyQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Read through the access policy; create (POST) and edit (PATCH) through the services."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]
    input_class: type[serializers.Serializer] = serializers.Serializer
    #: The parent field that a PATCH may not change.
    parent_field = ""
    versioned = False

    def policy_action(self) -> Action:
        # The services check who may write; fetching the record needs only VIEW (404 otherwise).
        return Action.VIEW

    def may_write(self, user: Any) -> bool:
        return is_secretariat(user)

    def create_record(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update_record(self, obj: Any, data: dict[str, Any], version: int | None) -> Any:
        raise NotImplementedError

    def _input(self, partial: bool) -> dict[str, Any]:
        serializer = self.input_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not self.may_write(request.user):
            raise PermissionDenied
        data = self._input(partial=False)
        data.pop("lock_version", None)
        obj = self.create_record(data)
        return Response(self.get_serializer(self._reload(obj)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        if not self.may_write(request.user):
            raise PermissionDenied
        data = self._input(partial=True)
        version = data.pop("lock_version", None)
        if self.versioned and version is None:
            raise serializers.ValidationError(
                {"lock_version": [_("Send the lock_version of the record you edited (409 if it changed).")]}
            )
        if self.parent_field and self.parent_field in data:
            raise serializers.ValidationError({self.parent_field: [_("This cannot be changed.")]})
        obj = self.update_record(obj, data, version)
        return Response(self.get_serializer(self._reload(obj)).data)

    def _reload(self, obj: Any) -> Any:
        return self.base_queryset().get(pk=obj.pk)


def documented(cls: type[PlanViewSet]) -> type[PlanViewSet]:
    """The request and response shapes of a viewset's writes, for the schema."""
    shapes: dict[str, Any] = {
        "create": extend_schema(request=cls.input_class, responses={201: cls.serializer_class})
    }
    if cls.partial_update is not None:
        shapes["partial_update"] = extend_schema(request=cls.input_class, responses=cls.serializer_class)
    return extend_schema_view(**shapes)(cls)


@documented
class CycleViewSet(PlanViewSet):
    """Policy cycles (public). The secretariat opens a cycle (default length: the committee's
    cycle_years), edits one (PATCH, with lock_version) and adopts priorities from an assessment run's
    handed-over recommended priorities."""

    queryset = PolicyCycle.objects.select_related("committee")
    serializer_class = PolicyCycleSerializer
    input_class = PolicyCycleInputSerializer
    filterset_fields = ["committee", "status"]
    ordering = ["-starts_on"]
    versioned = True

    def create_record(self, data: dict[str, Any]) -> Any:
        return services.cycle_create(actor=self.request.user, **data)

    def update_record(self, obj: Any, data: dict[str, Any], version: int | None) -> Any:
        if data.pop("committee", obj.committee) != obj.committee:
            raise DjangoValidationError({"committee": _("This cannot be changed.")})
        return services.cycle_update(actor=self.request.user, cycle=obj, expected_version=version, **data)

    @extend_schema(request=PriorityAdoptInputSerializer, responses={201: PolicyPrioritySerializer(many=True)})
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, pk: str | None = None) -> Response:
        """Adopt recommended priorities of a run whose list was handed over to the committee: each
        becomes a priority of the cycle linked to its recommended priority, its rationale copied."""
        cycle = self.get_object()
        if not self.may_write(request.user):
            raise PermissionDenied
        serializer = PriorityAdoptInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run = services.adoptable_run(request.user, data["run"])
        adoptions = [
            services.Adoption(recommended=item.pop("recommended_priority"), **item)
            for item in data["adoptions"]
        ]
        created = services.priorities_adopt(
            actor=request.user,
            cycle=cycle,
            run=run,
            adoptions=adoptions,
            decision=data.get("decision"),
        )
        items = Priority.objects.filter(pk__in=[p.pk for p in created]).prefetch_related("co_drivers")
        return Response(PolicyPrioritySerializer(items, many=True).data, status=status.HTTP_201_CREATED)


@documented
class PriorityViewSet(PlanViewSet):
    """Priorities of the cycles (public), with their driver and co-drivers. The secretariat adds a
    priority by the committee's own decision (POST) and edits one (PATCH, with lock_version)."""

    queryset = Priority.objects.select_related("driver", "crime_area").prefetch_related("co_drivers")
    serializer_class = PolicyPrioritySerializer
    input_class = PolicyPriorityInputSerializer
    filterset_fields = ["cycle", "origin"]
    ordering = ["cycle", "code"]
    parent_field = "cycle"
    versioned = True

    def create_record(self, data: dict[str, Any]) -> Any:
        return services.priority_create(actor=self.request.user, **data)

    def update_record(self, obj: Any, data: dict[str, Any], version: int | None) -> Any:
        co_drivers = data.pop("co_drivers", None)
        return services.priority_update(
            actor=self.request.user, priority=obj, expected_version=version, co_drivers=co_drivers, **data
        )


@documented
class HorizontalGoalViewSet(PlanViewSet):
    """The common horizontal goals (public); the secretariat administrator adds, renames (in the
    four languages), reorders (`order`) and deactivates them (PATCH, with lock_version)."""

    queryset = HorizontalGoal.objects.all()
    serializer_class = HorizontalGoalSerializer
    input_class = HorizontalGoalInputSerializer
    filterset_fields = ["active"]
    ordering = ["order", "code"]
    parent_field = "code"
    versioned = True

    def may_write(self, user: Any) -> bool:
        return services.may_configure_goals(user)

    def create_record(self, data: dict[str, Any]) -> Any:
        return services.horizontal_goal_create(actor=self.request.user, **data)

    def update_record(self, obj: Any, data: dict[str, Any], version: int | None) -> Any:
        return services.horizontal_goal_update(
            actor=self.request.user, goal=obj, expected_version=version, **data
        )


@documented
class StrategicPlanViewSet(PlanViewSet):
    """Strategic plans (public), one per priority, with their goals. On creation, a strategic goal is
    added for each horizontal goal named."""

    queryset = StrategicPlan.objects.prefetch_related(
        Prefetch("goals", queryset=StrategicGoal.objects.order_by("code"))
    )
    serializer_class = StrategicPlanSerializer
    input_class = StrategicPlanInputSerializer
    filterset_fields = ["priority", "priority__cycle", "status"]
    ordering = ["priority"]
    parent_field = "priority"
    versioned = True

    def create_record(self, data: dict[str, Any]) -> Any:
        return services.strategic_plan_create(actor=self.request.user, **data)

    def update_record(self, obj: Any, data: dict[str, Any], version: int | None) -> Any:
        if "horizontal_goals" in data:
            raise DjangoValidationError({"horizontal_goals": _("Add goals through strategic-goals.")})
        return services.strategic_plan_update(
            actor=self.request.user, plan=obj, expected_version=version, **data
        )


@documented
class StrategicGoalViewSet(PlanViewSet):
    """Goals of the strategic plans (public). The secretariat adds a goal (POST) and edits one
    (PATCH, with lock_version)."""

    queryset = StrategicGoal.objects.all()
    serializer_class = StrategicGoalSerializer
    input_class = StrategicGoalInputSerializer
    filterset_fields = ["plan", "horizontal_goal"]
    ordering = ["plan", "code"]
    parent_field = "plan"
    versioned = True

    def create_record(self, data: dict[str, Any]) -> Any:
        return services.goal_create(actor=self.request.user, **data)

    def update_record(self, obj: Any, data: dict[str, Any], version: int | None) -> Any:
        return services.goal_update(actor=self.request.user, goal=obj, expected_version=version, **data)


@documented
class ActionPlanViewSet(PlanViewSet):
    """Operational action plans (members), one per priority and period (the committee's 1 or 2
    years), within the cycle."""

    queryset = OperationalActionPlan.objects.all()
    serializer_class = OperationalActionPlanSerializer
    input_class = OperationalActionPlanInputSerializer
    filterset_fields = ["priority", "priority__cycle", "status"]
    ordering = ["priority", "starts_on"]
    parent_field = "priority"
    versioned = True

    def create_record(self, data: dict[str, Any]) -> Any:
        return services.action_plan_create(actor=self.request.user, **data)

    def update_record(self, obj: Any, data: dict[str, Any], version: int | None) -> Any:
        return services.action_plan_update(
            actor=self.request.user, plan=obj, expected_version=version, **data
        )


@documented
class ActionViewSet(PlanViewSet):
    """Operational actions (members) with their KPIs, co-leaders/participants/partners and results.
    POST creates an action with them; PATCH edits the action's own fields (with lock_version)."""

    queryset = OperationalAction.objects.select_related("leader_state").prefetch_related(
        Prefetch("actors", queryset=ActionActor.objects.select_related("state"))
    )

    def base_queryset(self) -> Any:
        kpis = with_visible_actual(Kpi.objects.all(), self.request.user)
        # Results reported in a progress report reach only whom may read the report.
        results = restrict(ActionResult.objects.all(), self.request.user, Action.VIEW)
        return (
            super()
            .base_queryset()
            .prefetch_related(Prefetch("kpis", queryset=kpis), Prefetch("results", queryset=results))
        )

    serializer_class = OperationalActionSerializer
    input_class = OperationalActionInputSerializer
    filterset_fields = ["plan", "plan__priority", "status", "leader_state", "leader_organisation"]
    ordering = ["plan", "code"]
    parent_field = "plan"
    versioned = True

    def create_record(self, data: dict[str, Any]) -> Any:
        nested: dict[str, Any] = {
            name: [dict(item) for item in data.pop(name, [])] for name in ("kpis", "actors", "results")
        }
        return services.action_create(actor=self.request.user, **data, **nested)

    def update_record(self, obj: Any, data: dict[str, Any], version: int | None) -> Any:
        for name in ("kpis", "actors", "results"):
            if name in data:
                raise DjangoValidationError({name: _("Change these through their own endpoint.")})
        return services.action_update(actor=self.request.user, action=obj, expected_version=version, **data)


class ChildRemoveMixin:
    """DELETE removes a KPI (one without reported values: 400 otherwise), an actor or a result of an
    action, by the secretariat (403 for other members, 404 for what one may not see)."""

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        if not is_secretariat(request.user):
            raise PermissionDenied
        services.child_remove(actor=request.user, obj=obj)
        return Response(status=status.HTTP_204_NO_CONTENT)


@documented
class KpiViewSet(ChildRemoveMixin, PlanViewSet):
    """KPIs of the actions (members). Their actual values come from progress reports."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    queryset = Kpi.objects.all()
    serializer_class = ActionKpiSerializer

    def base_queryset(self) -> Any:
        return with_visible_actual(super().base_queryset(), self.request.user)

    input_class = ActionKpiInputSerializer
    filterset_fields = ["action", "unit"]
    ordering = ["action", "code"]
    parent_field = "action"

    def create_record(self, data: dict[str, Any]) -> Any:
        return services.kpi_add(actor=self.request.user, **data)

    def update_record(self, obj: Any, data: dict[str, Any], version: int | None) -> Any:
        return services.kpi_update(actor=self.request.user, kpi=obj, **data)


@documented
class ActorViewSet(ChildRemoveMixin, PlanViewSet):
    """Co-leaders, participants and international partners of the actions (members)."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    queryset = ActionActor.objects.select_related("state")
    serializer_class = ActionActorSerializer
    input_class = ActionActorInputSerializer
    filterset_fields = ["action", "role", "state", "organisation"]
    ordering = ["action", "role"]
    partial_update = None  # type: ignore[assignment]

    def create_record(self, data: dict[str, Any]) -> Any:
        return services.actor_add(actor=self.request.user, **data)


@documented
class ResultViewSet(ChildRemoveMixin, PlanViewSet):
    """Counted results of the actions (members): arrests, seizures, people trained..."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    queryset = ActionResult.objects.all()
    serializer_class = ActionResultSerializer
    input_class = ActionResultInputSerializer
    filterset_fields = ["action", "kind"]
    ordering = ["action", "kind"]
    partial_update = None  # type: ignore[assignment]

    def create_record(self, data: dict[str, Any]) -> Any:
        return services.result_add(actor=self.request.user, **data)
