"""Pages of the policy cycle (under /policy/)."""

from django.urls import URLPattern, path

from . import evaluation_views

app_name = "policy"

urlpatterns: list[URLPattern] = [
    # --- committee, meetings, decisions --------------------------------------------------------
    # --- cycles, priorities, strategic and operational plans -----------------------------------
    # --- progress reports and dashboards -------------------------------------------------------
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
