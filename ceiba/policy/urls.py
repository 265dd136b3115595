"""Pages of the policy cycle (under /policy/)."""

from django.urls import URLPattern

app_name = "policy"

urlpatterns: list[URLPattern] = [
    # --- committee, meetings, decisions --------------------------------------------------------
    # --- cycles, priorities, strategic and operational plans -----------------------------------
    # --- progress reports and dashboards -------------------------------------------------------
    # --- recommendations, follow-up, evaluation -------------------------------------------------
]
