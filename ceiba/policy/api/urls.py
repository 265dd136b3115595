"""The policy cycle's API (under /api/v1/policy/)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import plans

router = DefaultRouter()
router.include_root_view = False
# --- committee, meetings, decisions ------------------------------------------------------------
# --- cycles, priorities, strategic and operational plans ---------------------------------------
router.register("cycles", plans.CycleViewSet, basename="policy-cycle")
router.register("priorities", plans.PriorityViewSet, basename="policy-priority")
router.register("horizontal-goals", plans.HorizontalGoalViewSet, basename="policy-horizontal-goal")
router.register("strategic-plans", plans.StrategicPlanViewSet, basename="policy-strategic-plan")
router.register("strategic-goals", plans.StrategicGoalViewSet, basename="policy-strategic-goal")
router.register("action-plans", plans.ActionPlanViewSet, basename="policy-action-plan")
router.register("actions", plans.ActionViewSet, basename="policy-action")
router.register("kpis", plans.KpiViewSet, basename="policy-kpi")
router.register("action-actors", plans.ActorViewSet, basename="policy-action-actor")
router.register("action-results", plans.ResultViewSet, basename="policy-action-result")
# --- progress reports ----------------------------------------------------------------------------
# --- recommendations, follow-up, evaluation -------------------------------------------------------

urlpatterns = [
    path("", include(router.urls)),
]
