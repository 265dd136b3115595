from django.urls import URLPattern, path

from . import methodology_views, table_views

app_name = "assessment"

urlpatterns: list[URLPattern] = []

# --- Methodologies and composite indices (branch `method`) ---------------------------------------------
urlpatterns += [
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
]
# --- end of methodologies and composite indices ----------------------------------------------------------
