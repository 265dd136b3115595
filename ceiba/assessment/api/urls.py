from django.urls import URLPattern, path

from . import methodologies, tables

urlpatterns: list[URLPattern] = []

# --- Methodologies and composite indices (branch `method`) ---------------------------------------------
urlpatterns += [
    path(
        "methodologies/",
        methodologies.MethodologyVersionListView.as_view(),
        name="assessment-methodology-list",
    ),
    path(
        "methodologies/<int:pk>/",
        methodologies.MethodologyVersionDetailView.as_view(),
        name="assessment-methodology-detail",
    ),
    path("indicator-tables/", tables.IndicatorTableListView.as_view(), name="assessment-table-list"),
    path(
        "indicator-tables/<int:pk>/",
        tables.IndicatorTableDetailView.as_view(),
        name="assessment-table-detail",
    ),
    path(
        "indicator-tables/<int:pk>/run/", tables.IndicatorTableRunView.as_view(), name="assessment-table-run"
    ),
    path("composite/<int:pk>/", tables.CompositeResultsView.as_view(), name="assessment-composite-detail"),
]
# --- end of methodologies and composite indices ----------------------------------------------------------
