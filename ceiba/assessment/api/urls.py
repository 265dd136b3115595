from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import run_views

router = DefaultRouter()
router.include_root_view = False
# --- runs and priorities (branch `runs`) -------------------------------------------------------
router.register("runs", run_views.AssessmentRunViewSet, basename="assessment-run")
router.register("priorities", run_views.RecommendedPriorityViewSet, basename="assessment-priority")
# --- end of runs and priorities ----------------------------------------------------------------

urlpatterns = [
    path("", include(router.urls)),
]
