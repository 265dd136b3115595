from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import stix_views, views

router = DefaultRouter()
router.include_root_view = False
router.register("crime-areas", views.CrimeAreaViewSet, basename="documentation-crime-area")
router.register("cycles", views.CycleViewSet, basename="documentation-cycle")
router.register("contributions", views.ContributionViewSet, basename="documentation-contribution")
router.register("threat-reports", views.ThreatReportViewSet, basename="documentation-threat-report")

router.register("networks", views.CriminalNetworkViewSet, basename="documentation-network")

urlpatterns = [
    path(
        "stix/threat-reports/",
        stix_views.ThreatReportStixView.as_view(),
        name="documentation-threat-report-stix",
    ),
    path("stix/networks/", stix_views.CriminalNetworkStixView.as_view(), name="documentation-network-stix"),
    path("", include(router.urls)),
]
