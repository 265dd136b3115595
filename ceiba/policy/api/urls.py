"""The policy cycle's API (under /api/v1/policy/)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import evaluation

router = DefaultRouter()
router.include_root_view = False
# --- committee, meetings, decisions ------------------------------------------------------------
# --- cycles, priorities, strategic and operational plans ---------------------------------------
# --- progress reports ----------------------------------------------------------------------------
# --- recommendations, follow-up, evaluation -------------------------------------------------------

urlpatterns = [
    path("", include(router.urls)),
    # --- evaluation ------------------------------------------------------------------------------
    path("cycles/<int:pk>/evaluation/", evaluation.EvaluationAPIView.as_view(), name="policy-evaluation"),
    path(
        "cycles/<int:pk>/evaluation/finalise/",
        evaluation.EvaluationFinaliseAPIView.as_view(),
        name="policy-evaluation-finalise",
    ),
    path("cycles/<int:pk>/lessons/", evaluation.LessonListAPIView.as_view(), name="policy-lesson-list"),
    path("lessons/<int:pk>/", evaluation.LessonDetailAPIView.as_view(), name="policy-lesson-detail"),
]
