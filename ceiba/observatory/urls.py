from django.urls import path

from . import views

app_name = "observatory"

urlpatterns = [
    path("", views.home, name="home"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator_detail"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:iso3>/", views.country_profile, name="country_profile"),
    path("countries/<str:iso3>/data.<str:fmt>", views.profile_data, name="profile_data"),
    path("countries/<str:iso3>/<slug:slug>.<str:fmt>", views.profile_series, name="profile_series"),
    path(
        "countries/<str:iso3>/transparency/<str:kind>/new/", views.transparency_edit, name="transparency_add"
    ),
    path(
        "countries/<str:iso3>/transparency/<str:kind>/<int:pk>/edit/",
        views.transparency_edit,
        name="transparency_edit",
    ),
    path(
        "countries/<str:iso3>/transparency/<str:kind>/<int:pk>/delete/",
        views.transparency_delete,
        name="transparency_delete",
    ),
    path("compare/", views.compare, name="compare"),
    path("military-expenditure/", views.military_expenditure, name="military_expenditure"),
    path("transparency/", views.transparency, name="transparency"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/ceiba-observatory.zip", views.datapackage, name="datapackage"),
    path("data/<slug:slug>.<str:fmt>", views.series, name="series"),
    path("data/<slug:slug>/breakdowns.<str:fmt>", views.breakdowns, name="breakdowns"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/review/", views.alert_review, name="alert_review"),
    path("alerts/rules/", views.alert_rules, name="alert_rules"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.release_detail, name="release_detail"),
]
