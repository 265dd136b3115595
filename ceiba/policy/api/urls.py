"""The policy cycle's API (under /api/v1/policy/)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import committee, evaluation, plans, progress, recommendations

router = DefaultRouter()
router.include_root_view = False
# --- committee, meetings, decisions ------------------------------------------------------------
router.register("committees", committee.CommitteeViewSet, basename="policy-committee")
router.register("committee-members", committee.CommitteeMemberViewSet, basename="policy-committee-member")
router.register("presidencies", committee.PresidencyViewSet, basename="policy-presidency")
router.register("meeting-documents", committee.MeetingDocumentViewSet, basename="policy-meeting-document")
router.register("meetings", committee.MeetingViewSet, basename="policy-meeting")
router.register("agenda-items", committee.AgendaItemViewSet, basename="policy-agenda-item")
router.register("participants", committee.ParticipantViewSet, basename="policy-participant")
router.register("decisions", committee.DecisionViewSet, basename="policy-decision")
router.register("positions", committee.PositionViewSet, basename="policy-position")
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
router.register("recommendations", recommendations.RecommendationViewSet, basename="policy-recommendation")
router.register("addressees", recommendations.AddresseeViewSet, basename="policy-addressee")
router.register(
    "implementation-reports",
    recommendations.ImplementationReportViewSet,
    basename="policy-implementation-report",
)

urlpatterns = [
    path("", include(router.urls)),
    # --- progress reports ------------------------------------------------------------------------
    path("progress-reports/", progress.ProgressReportListView.as_view(), name="policy-progress-report-list"),
    path(
        "progress-reports/<int:pk>/",
        progress.ProgressReportDetailView.as_view(),
        name="policy-progress-report-detail",
    ),
    path("progress-reports/import/", progress.ProgressImportView.as_view(), name="policy-progress-import"),
    path("cycles/<int:pk>/rollup/", progress.CycleRollupView.as_view(), name="policy-cycle-rollup"),
    # --- evaluation ------------------------------------------------------------------------------
    path("cycles/<int:pk>/evaluation/", evaluation.EvaluationAPIView.as_view(), name="policy-evaluation"),
    path(
        "cycles/<int:pk>/evaluation/finalise/",
        evaluation.EvaluationFinaliseAPIView.as_view(),
        name="policy-evaluation-finalise",
    ),
    path("cycles/<int:pk>/lessons/", evaluation.LessonListAPIView.as_view(), name="policy-lesson-list"),
    path("lessons/<int:pk>/", evaluation.LessonDetailAPIView.as_view(), name="policy-lesson-detail"),
    # --- recommendations, follow-up, evaluation ---------------------------------------------------
    path("follow-up/", recommendations.FollowUpSummaryView.as_view(), name="policy-follow-up-summary"),
    path(
        "follow-up/<slug:iso3>/", recommendations.FollowUpStateView.as_view(), name="policy-follow-up-state"
    ),
]
