"""The policy cycle's API (under /api/v1/policy/)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import committee

router = DefaultRouter()
router.include_root_view = False
# --- committee, meetings, decisions ------------------------------------------------------------
router.register("committees", committee.CommitteeViewSet, basename="policy-committee")
router.register("meetings", committee.MeetingViewSet, basename="policy-meeting")
router.register("agenda-items", committee.AgendaItemViewSet, basename="policy-agenda-item")
router.register("participants", committee.ParticipantViewSet, basename="policy-participant")
router.register("decisions", committee.DecisionViewSet, basename="policy-decision")
router.register("positions", committee.PositionViewSet, basename="policy-position")
# --- cycles, priorities, strategic and operational plans ---------------------------------------
# --- progress reports ----------------------------------------------------------------------------
# --- recommendations, follow-up, evaluation -------------------------------------------------------

urlpatterns = [
    path("", include(router.urls)),
]
