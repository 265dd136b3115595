from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("states", views.StateViewSet, basename="state")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("people", views.PersonViewSet, basename="person")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register(
    "notification-preferences", views.NotificationPreferenceViewSet, basename="notification-preference"
)

urlpatterns = [
    path("me/", views.CurrentUserView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
