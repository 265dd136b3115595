"""The policy cycle's API (under /api/v1/policy/)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import recommendations

router = DefaultRouter()
router.include_root_view = False
# --- committee, meetings, decisions ------------------------------------------------------------
# --- cycles, priorities, strategic and operational plans ---------------------------------------
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
    # --- recommendations, follow-up, evaluation ---------------------------------------------------
    path("follow-up/", recommendations.FollowUpSummaryView.as_view(), name="policy-follow-up-summary"),
    path(
        "follow-up/<slug:iso3>/", recommendations.FollowUpStateView.as_view(), name="policy-follow-up-state"
    ),
]
