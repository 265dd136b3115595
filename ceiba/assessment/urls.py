from django.urls import path

from . import explain_views

app_name = "assessment"

urlpatterns = [
    # --- explanations and comparisons (branch `explain`) ----------------------------------------
    path("runs/<int:pk>/explain/network/<str:key>/", explain_views.explain_network, name="explain_network"),
    path(
        "runs/<int:pk>/explain/area/<slug:code>/<str:level>/<str:place>/",
        explain_views.explain_area,
        name="explain_area",
    ),
    path("compare/", explain_views.compare, name="compare"),
    # --- end of explanations and comparisons ----------------------------------------------------
]
