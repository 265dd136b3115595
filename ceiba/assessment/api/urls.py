from django.urls import path

from . import explain

urlpatterns = [
    # --- explanations and comparisons (branch `explain`) ----------------------------------------
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
    # --- end of explanations and comparisons ----------------------------------------------------
]
