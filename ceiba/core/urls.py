from django.contrib.auth import views as auth_views
from django.urls import path

from . import notification_views, views

app_name = "core"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/sign-in/", views.SignInView.as_view(), name="login"),
    path("account/sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/second-factor/", views.otp_verify, name="otp_verify"),
    path("account/second-factor/enrol/", views.otp_enrol, name="otp_enrol"),
    path("account/", views.account, name="account"),
    path("account/tokens/<str:token_key>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("directory/states/", views.state_list, name="state_list"),
    path("directory/states/<str:iso3>/", views.state_detail, name="state_detail"),
    path("directory/states/<str:iso3>/edit/", views.state_edit, name="state_edit"),
    path("directory/organisations/", views.organisation_list, name="organisation_list"),
    path("directory/organisations/new/", views.organisation_create, name="organisation_create"),
    path("directory/organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("directory/organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("directory/people/", views.person_list, name="person_list"),
    path("directory/people/new/", views.account_create, name="account_create"),
    path("directory/people/<int:pk>/", views.person_detail, name="person_detail"),
    path("directory/people/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("directory/people/<int:pk>/memberships/new/", views.membership_add, name="membership_add"),
    path("directory/memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notification_read_all"),
    path(
        "notifications/preferences/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path("notifications/<int:pk>/read/", notification_views.notification_read, name="notification_read"),
    path("history/<str:kind>/<str:key>/", views.record_history, name="record_history"),
    path("audit/", views.audit_list, name="audit_list"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
]
