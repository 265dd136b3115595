from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import entity_views, views

router = DefaultRouter()
router.include_root_view = False
router.register("crime-areas", views.CrimeAreaViewSet, basename="documentation-crime-area")
router.register("cycles", views.CycleViewSet, basename="documentation-cycle")
router.register("contributions", views.ContributionViewSet, basename="documentation-contribution")
router.register("threat-reports", views.ThreatReportViewSet, basename="documentation-threat-report")

router.register("networks", views.CriminalNetworkViewSet, basename="documentation-network")
router.register("entities", entity_views.EntityViewSet, basename="documentation-entity")

urlpatterns = [path("", include(router.urls))]
