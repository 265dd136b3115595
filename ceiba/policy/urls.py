"""Pages of the policy cycle (under /policy/)."""

from django.urls import URLPattern, path

from . import committee_views, evaluation_views, plan_views, progress_views, recommendation_views

app_name = "policy"

urlpatterns: list[URLPattern] = [
    # --- committee, meetings, decisions --------------------------------------------------------
    path("committee/", committee_views.committee_list, name="committee_list"),
    path("committee/<int:pk>/", committee_views.committee_detail, name="committee_detail"),
    path(
        "committee/<int:pk>/members/add/", committee_views.committee_member_add, name="committee_member_add"
    ),
    path(
        "committee/<int:pk>/members/<int:member_pk>/",
        committee_views.committee_member_edit,
        name="committee_member_edit",
    ),
    path("committee/<int:pk>/presidencies/add/", committee_views.presidency_add, name="presidency_add"),
    path(
        "committee/<int:pk>/presidencies/<int:term_pk>/remove/",
        committee_views.presidency_remove,
        name="presidency_remove",
    ),
    path("calendar.ics", committee_views.calendar_feed, name="calendar"),
    path("meetings/", committee_views.meeting_list, name="meeting_list"),
    path("meetings/new/", committee_views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", committee_views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", committee_views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", committee_views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/minutes/", committee_views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/calendar.ics", committee_views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/agenda/add/", committee_views.agenda_item_add, name="agenda_item_add"),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/", committee_views.agenda_item_edit, name="agenda_item_edit"
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/move/",
        committee_views.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/decide/",
        committee_views.decision_create,
        name="decision_create",
    ),
    path(
        "meetings/<int:pk>/documents/add/",
        committee_views.meeting_document_add,
        name="meeting_document_add",
    ),
    path(
        "meetings/<int:pk>/documents/<int:document_pk>/",
        committee_views.meeting_document_download,
        name="meeting_document_download",
    ),
    path(
        "meetings/<int:pk>/documents/<int:document_pk>/remove/",
        committee_views.meeting_document_remove,
        name="meeting_document_remove",
    ),
    path("meetings/<int:pk>/participants/add/", committee_views.participant_add, name="participant_add"),
    path("meetings/<int:pk>/attendance/", committee_views.attendance, name="attendance"),
    path("decisions/<int:pk>/", committee_views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/text/", committee_views.decision_text, name="decision_text"),
    path("decisions/<int:pk>/positions/", committee_views.decision_position, name="decision_position"),
    path("decisions/<int:pk>/close/", committee_views.decision_close, name="decision_close"),
    path("decisions/<int:pk>/publish/", committee_views.decision_publish, name="decision_publish"),
    # --- cycles, priorities, strategic and operational plans -----------------------------------
    path("", plan_views.home, name="home"),
    path("cycles/new/", plan_views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", plan_views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/edit/", plan_views.cycle_edit, name="cycle_edit"),
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
    path("goals/<int:pk>/edit/", plan_views.goal_edit, name="goal_edit"),
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
    path(
        "actions/<int:pk>/<str:part>/<int:item_pk>/remove/",
        plan_views.action_part_remove,
        name="action_part_remove",
    ),
    # --- progress reports and dashboards -------------------------------------------------------
    path("actions/<int:pk>/progress/", progress_views.action_progress, name="progress_action"),
    path("actions/<int:pk>/progress/new/", progress_views.report_create, name="progress_report_create"),
    path("progress/<int:pk>/", progress_views.report_detail, name="progress_report_detail"),
    path("progress/<int:pk>/edit/", progress_views.report_edit, name="progress_report_edit"),
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
