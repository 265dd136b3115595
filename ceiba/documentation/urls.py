from django.urls import path

from . import attachment_views, dissemination_views, search_views, statistics_views, stix_views, views

app_name = "documentation"

urlpatterns = [
    path("crime-areas/", views.crime_area_list, name="crime_area_list"),
    path("search/", search_views.search_page, name="search"),
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
    path("reports/export/stix/", stix_views.report_export_stix, name="report_export_stix"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/dissemination/", views.report_dissemination, name="report_dissemination"),
    path("reports/<int:pk>/attachments/new/", attachment_views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", attachment_views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", attachment_views.attachment_remove, name="attachment_remove"),
    path("contributions/<int:pk>/networks/new/", views.network_create, name="network_create"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/export/stix/", stix_views.network_export_stix, name="network_export_stix"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("networks/<int:pk>/edit/", views.network_edit, name="network_edit"),
    path(
        "networks/<int:pk>/dissemination/",
        dissemination_views.network_dissemination,
        name="network_dissemination",
    ),
    path("reports/export.<str:fmt>", statistics_views.report_export, name="report_export"),
    path("networks/export.<str:fmt>", statistics_views.network_export, name="network_export"),
    path("statistics/", statistics_views.statistic_list, name="statistic_list"),
    path("statistics/export.<str:fmt>", statistics_views.statistic_export, name="statistic_export"),
    path("statistics/template.<str:fmt>", statistics_views.statistic_template, name="statistic_template"),
    path("statistics/datasets/<int:pk>/", statistics_views.dataset_detail, name="dataset_detail"),
    path("contributions/<int:pk>/import/", statistics_views.import_upload, name="import_upload"),
    path("imports/<uuid:pk>/", statistics_views.import_detail, name="import_detail"),
    path("imports/<uuid:pk>/mapping/", statistics_views.import_mapping, name="import_mapping"),
    path("imports/<uuid:pk>/errors.csv", statistics_views.import_errors, name="import_errors"),
]
