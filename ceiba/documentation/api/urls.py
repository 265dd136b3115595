from django.urls import include, path
from rest_framework.routers import DefaultRouter

from ceiba.documentation.search_views import SearchAPIView

from . import views

router = DefaultRouter()
router.include_root_view = False
router.register("crime-areas", views.CrimeAreaViewSet, basename="documentation-crime-area")
router.register("cycles", views.CycleViewSet, basename="documentation-cycle")
router.register("contributions", views.ContributionViewSet, basename="documentation-contribution")
router.register("threat-reports", views.ThreatReportViewSet, basename="documentation-threat-report")

router.register("networks", views.CriminalNetworkViewSet, basename="documentation-network")

urlpatterns = [
    path("search/", SearchAPIView.as_view(), name="documentation-search"),
    path("", include(router.urls)),
]
