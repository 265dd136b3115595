"""Pages of the policy cycle (under /policy/)."""

from django.urls import URLPattern, path

from . import recommendation_views

app_name = "policy"

urlpatterns: list[URLPattern] = [
    # --- committee, meetings, decisions --------------------------------------------------------
    # --- cycles, priorities, strategic and operational plans -----------------------------------
    # --- progress reports and dashboards -------------------------------------------------------
    # --- recommendations, follow-up, evaluation -------------------------------------------------
    path("recommendations/", recommendation_views.recommendation_list, name="recommendation_list"),
    path("recommendations/new/", recommendation_views.recommendation_create, name="recommendation_create"),
    path(
        "recommendations/<int:pk>/", recommendation_views.recommendation_detail, name="recommendation_detail"
    ),
    path(
        "recommendations/<int:pk>/edit/", recommendation_views.recommendation_edit, name="recommendation_edit"
    ),
    path(
        "recommendations/addressees/<int:pk>/report/",
        recommendation_views.recommendation_report,
        name="recommendation_report",
    ),
    path(
        "recommendations/reports/<int:pk>/validate/",
        recommendation_views.recommendation_report_validate,
        name="recommendation_report_validate",
    ),
    path(
        "recommendations/reports/<int:pk>/return/",
        recommendation_views.recommendation_report_return,
        name="recommendation_report_return",
    ),
    path(
        "recommendations/reports/<int:pk>/evidence/",
        recommendation_views.recommendation_evidence,
        name="recommendation_evidence",
    ),
    path(
        "recommendations/follow-up/",
        recommendation_views.recommendation_followup,
        name="recommendation_followup",
    ),
    path(
        "recommendations/follow-up.pdf",
        recommendation_views.recommendation_followup_pdf,
        name="recommendation_followup_pdf",
    ),
    path(
        "recommendations/follow-up/<slug:iso3>/",
        recommendation_views.recommendation_followup_state,
        name="recommendation_followup_state",
    ),
    path(
        "recommendations/follow-up/<slug:iso3>.pdf",
        recommendation_views.recommendation_followup_state_pdf,
        name="recommendation_followup_state_pdf",
    ),
]
