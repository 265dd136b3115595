"""The regional threat assessment's API (under /api/v1/assessment/)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import explain, methodologies, report, run_views, tables

router = DefaultRouter()
router.include_root_view = False
router.register("runs", run_views.AssessmentRunViewSet, basename="assessment-run")
router.register("priorities", run_views.RecommendedPriorityViewSet, basename="assessment-priority")

urlpatterns = [
    path("runs/<int:pk>/report/", report.RunReportAPIView.as_view(), name="assessment-run-report"),
    path("", include(router.urls)),
    # --- explanations and comparisons ----------------------------------------------------------
    path(
        "runs/<int:pk>/explain/network/<str:key>/",
        explain.NetworkExplanationAPIView.as_view(),
        name="assessment-explain-network",
    ),
    path(
        "runs/<int:pk>/explain/area/<slug:code>/<str:level>/<str:place>/",
        explain.AreaExplanationAPIView.as_view(),
        name="assessment-explain-area",
    ),
    path("compare/", explain.CompareAPIView.as_view(), name="assessment-compare"),
    # --- methodologies and composite indices ---------------------------------------------------
    path(
        "methodologies/",
        methodologies.MethodologyVersionListView.as_view(),
        name="assessment-methodology-list",
    ),
    path(
        "methodologies/<int:pk>/",
        methodologies.MethodologyVersionDetailView.as_view(),
        name="assessment-methodology-detail",
    ),
    path("indicator-tables/", tables.IndicatorTableListView.as_view(), name="assessment-table-list"),
    path(
        "indicator-tables/<int:pk>/",
        tables.IndicatorTableDetailView.as_view(),
        name="assessment-table-detail",
    ),
    path(
        "indicator-tables/<int:pk>/run/", tables.IndicatorTableRunView.as_view(), name="assessment-table-run"
    ),
    path("composite/<int:pk>/", tables.CompositeResultsView.as_view(), name="assessment-composite-detail"),
    path(
        "composite/<int:pk>/explain/<str:iso3>/<str:formula>/",
        tables.CompositeExplainView.as_view(),
        name="assessment-composite-explain",
    ),
]
