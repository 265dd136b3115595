"""The policy cycle's API (under /api/v1/policy/)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.include_root_view = False
# --- committee, meetings, decisions ------------------------------------------------------------
# --- cycles, priorities, strategic and operational plans ---------------------------------------
# --- progress reports ----------------------------------------------------------------------------
# --- recommendations, follow-up, evaluation -------------------------------------------------------

urlpatterns = [
    path("", include(router.urls)),
]
