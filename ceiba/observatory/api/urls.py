from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("indicators", views.IndicatorViewSet, basename="observatory-indicator")
router.register("observations", views.ObservationViewSet, basename="observatory-observation")
router.register("releases", views.ReleaseViewSet, basename="observatory-release")
router.register("white-papers", views.WhitePaperViewSet, basename="observatory-white-paper")
router.register("arms-register", views.ArmsRegisterReportViewSet, basename="observatory-arms-register")
router.register(
    "confidence-measures", views.ConfidenceMeasureViewSet, basename="observatory-confidence-measure"
)
router.register("alerts", views.AlertViewSet, basename="observatory-alert")

urlpatterns = [
    path("imports/", views.ImportView.as_view(), name="observatory-import"),
    path("", include(router.urls)),
]
