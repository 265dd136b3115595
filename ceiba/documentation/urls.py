from django.urls import path

from . import entity_views, views

app_name = "documentation"

urlpatterns = [
    path("crime-areas/", views.crime_area_list, name="crime_area_list"),
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/contribution/", views.cycle_contribution, name="cycle_contribution"),
    path("contributions/<int:pk>/", views.contribution_detail, name="contribution_detail"),
    path("contributions/<int:pk>/submit/", views.contribution_submit, name="contribution_submit"),
    path("contributions/<int:pk>/validate/", views.contribution_validate, name="contribution_validate"),
    path("contributions/<int:pk>/return/", views.contribution_return, name="contribution_return"),
    path("contributions/<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/dissemination/", views.report_dissemination, name="report_dissemination"),
    path("contributions/<int:pk>/networks/new/", views.network_create, name="network_create"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("networks/<int:pk>/edit/", views.network_edit, name="network_edit"),
    path("entities/", entity_views.entity_list, name="entity_list"),
    path("entities/export/", entity_views.entity_export, name="entity_export"),
    path("entities/<int:pk>/", entity_views.entity_detail, name="entity_detail"),
    path("entities/<int:pk>/graph/", entity_views.entity_graph, name="entity_graph"),
    path("entity-records/<int:pk>/edit/", entity_views.entity_record_edit, name="entity_record_edit"),
    path("contributions/<int:pk>/entities/new/", entity_views.entity_create, name="entity_create"),
    path("contributions/<int:pk>/links/new/", entity_views.entity_link_create, name="entity_link_create"),
]
