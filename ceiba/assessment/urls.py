"""Pages of the regional threat assessment (under /assessment/)."""

from django.urls import URLPattern, path

from . import explain_views, methodology_views, report_views, table_views, views

app_name = "assessment"

urlpatterns: list[URLPattern] = [
    # --- runs and priorities -------------------------------------------------------------------
    path("runs/", views.run_list, name="run_list"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path(
        "runs/<int:pk>/priorities/<int:priority_pk>/rationale/",
        views.priority_rationale,
        name="priority_rationale",
    ),
    path("runs/<int:pk>/priorities/freeze/", views.priorities_freeze, name="priorities_freeze"),
    path("runs/<int:pk>/priorities/hand-over/", views.priorities_hand_over, name="priorities_hand_over"),
    # --- the report ----------------------------------------------------------------------------
    path("runs/<int:pk>/report/", report_views.report_page, name="report"),
    path("runs/<int:pk>/report.pdf", report_views.report_pdf, name="report_pdf"),
    # --- explanations and comparisons ----------------------------------------------------------
    path("runs/<int:pk>/explain/network/<str:key>/", explain_views.explain_network, name="explain_network"),
    path(
        "runs/<int:pk>/explain/area/<slug:code>/<str:level>/<str:place>/",
        explain_views.explain_area,
        name="explain_area",
    ),
    path("compare/", explain_views.compare, name="compare"),
    # --- methodologies and composite indices ---------------------------------------------------
    path("methodologies/", methodology_views.methodology_list, name="methodology_list"),
    path("methodologies/new/", methodology_views.methodology_create, name="methodology_create"),
    path("methodologies/<int:pk>/", methodology_views.methodology_detail, name="methodology_detail"),
    path(
        "methodologies/<int:pk>/definition.yaml",
        methodology_views.methodology_download,
        name="methodology_download",
    ),
    path("methodologies/<int:pk>/table-template.csv", table_views.table_template, name="table_template"),
    path("tables/", table_views.table_list, name="table_list"),
    path("tables/import/", table_views.table_import, name="table_import"),
    path("tables/<int:pk>/", table_views.table_detail, name="table_detail"),
    path("tables/<int:pk>/run/", table_views.table_run, name="table_run"),
    path("composite/<int:run_pk>/", table_views.composite_detail, name="composite_detail"),
    path("composite/<int:run_pk>/publish/", table_views.composite_publish, name="composite_publish"),
    path(
        "composite/<int:run_pk>/explain/<str:iso3>/<str:formula>/",
        table_views.composite_explain,
        name="composite_explain",
    ),
]
