"""Pages of the policy cycle (under /policy/)."""

from django.urls import URLPattern, path

from . import committee_views

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
    path("meetings/<int:pk>/participants/add/", committee_views.participant_add, name="participant_add"),
    path("meetings/<int:pk>/attendance/", committee_views.attendance, name="attendance"),
    path("decisions/<int:pk>/", committee_views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/text/", committee_views.decision_text, name="decision_text"),
    path("decisions/<int:pk>/positions/", committee_views.decision_position, name="decision_position"),
    path("decisions/<int:pk>/close/", committee_views.decision_close, name="decision_close"),
    path("decisions/<int:pk>/publish/", committee_views.decision_publish, name="decision_publish"),
    # --- cycles, priorities, strategic and operational plans -----------------------------------
    # --- progress reports and dashboards -------------------------------------------------------
    # --- recommendations, follow-up, evaluation -------------------------------------------------
]
