from django.urls import include, path
from rest_framework.routers import DefaultRouter

from ceiba.documentation.search_views import SearchAPIView

from . import attachments, entity_views, statistics, stix_views, views

router = DefaultRouter()
router.include_root_view = False
router.register("crime-areas", views.CrimeAreaViewSet, basename="documentation-crime-area")
router.register("cycles", views.CycleViewSet, basename="documentation-cycle")
router.register("contributions", views.ContributionViewSet, basename="documentation-contribution")
router.register("threat-reports", views.ThreatReportViewSet, basename="documentation-threat-report")

router.register("networks", views.CriminalNetworkViewSet, basename="documentation-network")
router.register(
    "statistics-datasets", statistics.StatisticsDatasetViewSet, basename="documentation-statistics-dataset"
)
router.register("statistics", statistics.StatisticRowViewSet, basename="documentation-statistic")
router.register("imports", statistics.ImportRunViewSet, basename="documentation-import")
router.register("entities", entity_views.EntityViewSet, basename="documentation-entity")

urlpatterns = [
    path("search/", SearchAPIView.as_view(), name="documentation-search"),
    path(
        "threat-reports/<int:pk>/attachments/",
        attachments.ReportAttachmentsAPIView.as_view(),
        name="documentation-threat-report-attachments",
    ),
    path("attachments/<int:pk>/", attachments.AttachmentAPIView.as_view(), name="documentation-attachment"),
    path(
        "attachments/<int:pk>/download/",
        attachments.AttachmentDownloadAPIView.as_view(),
        name="documentation-attachment-download",
    ),
    path(
        "stix/threat-reports/",
        stix_views.ThreatReportStixView.as_view(),
        name="documentation-threat-report-stix",
    ),
    path("stix/networks/", stix_views.CriminalNetworkStixView.as_view(), name="documentation-network-stix"),
    path("", include(router.urls)),
]
