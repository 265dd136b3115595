"""Pages of the policy cycle (under /policy/)."""

from django.urls import URLPattern, path

from . import evaluation_views, progress_views

app_name = "policy"

urlpatterns: list[URLPattern] = [
    # --- committee, meetings, decisions --------------------------------------------------------
    # --- cycles, priorities, strategic and operational plans -----------------------------------
    # --- progress reports and dashboards -------------------------------------------------------
    path("actions/<int:pk>/progress/", progress_views.action_progress, name="progress_action"),
    path("actions/<int:pk>/progress/new/", progress_views.report_create, name="progress_report_create"),
    path("progress/<int:pk>/", progress_views.report_detail, name="progress_report_detail"),
    path("progress/import/", progress_views.report_import, name="progress_import"),
    path("progress/template.csv", progress_views.report_template, name="progress_template"),
    path("progress/my-actions/", progress_views.my_actions, name="progress_my_actions"),
    path("cycles/<int:pk>/progress/", progress_views.cycle_dashboard, name="progress_cycle_dashboard"),
    path("plans/<int:pk>/progress/", progress_views.plan_dashboard, name="progress_plan_dashboard"),
    # --- recommendations, follow-up, evaluation -------------------------------------------------
    path("cycles/<int:pk>/evaluation/", evaluation_views.evaluation_page, name="evaluation"),
    path("cycles/<int:pk>/evaluation.pdf", evaluation_views.evaluation_pdf, name="evaluation_pdf"),
    path(
        "cycles/<int:pk>/evaluation/finalise/",
        evaluation_views.evaluation_finalise,
        name="evaluation_finalise",
    ),
    path(
        "cycles/<int:pk>/evaluation/lessons/", evaluation_views.lesson_create, name="evaluation_lesson_create"
    ),
    path("lessons/<int:pk>/edit/", evaluation_views.lesson_edit, name="evaluation_lesson_edit"),
    path("lessons/<int:pk>/delete/", evaluation_views.lesson_delete, name="evaluation_lesson_delete"),
]
