"""Pages of the policy cycle (under /policy/)."""

from django.urls import URLPattern, path

from . import plan_views

app_name = "policy"

urlpatterns: list[URLPattern] = [
    # --- committee, meetings, decisions --------------------------------------------------------
    # --- cycles, priorities, strategic and operational plans -----------------------------------
    path("", plan_views.home, name="home"),
    path("cycles/new/", plan_views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", plan_views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/priorities/new/", plan_views.priority_create, name="priority_create"),
    path("cycles/<int:pk>/priorities/adopt/", plan_views.priority_adopt, name="priority_adopt"),
    path("priorities/<int:pk>/edit/", plan_views.priority_edit, name="priority_edit"),
    path(
        "priorities/<int:pk>/strategic-plan/new/",
        plan_views.strategic_plan_create,
        name="strategic_plan_create",
    ),
    path("strategic-plans/<int:pk>/edit/", plan_views.strategic_plan_edit, name="strategic_plan_edit"),
    path("strategic-plans/<int:pk>/goals/new/", plan_views.goal_create, name="goal_create"),
    path("horizontal-goals/", plan_views.horizontal_goals, name="horizontal_goals"),
    path("horizontal-goals/<int:pk>/edit/", plan_views.horizontal_goal_edit, name="horizontal_goal_edit"),
    path("horizontal-goals/<int:pk>/move/", plan_views.horizontal_goal_move, name="horizontal_goal_move"),
    path("priorities/<int:pk>/action-plans/new/", plan_views.action_plan_create, name="action_plan_create"),
    path("action-plans/<int:pk>/", plan_views.action_plan_detail, name="action_plan_detail"),
    path("action-plans/<int:pk>/edit/", plan_views.action_plan_edit, name="action_plan_edit"),
    path("action-plans/<int:pk>/actions/new/", plan_views.action_create, name="action_create"),
    path("actions/<int:pk>/", plan_views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", plan_views.action_edit, name="action_edit"),
    path("actions/<int:pk>/<str:part>/add/", plan_views.action_part_add, name="action_part_add"),
    # --- progress reports and dashboards -------------------------------------------------------
    # --- recommendations, follow-up, evaluation -------------------------------------------------
]
