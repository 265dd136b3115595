"""URL map: public pages, the directory, the API under /api/v1/ and its schema and docs."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from ceiba.common import views as common_views
from ceiba.core import views as core_views

handler400 = "ceiba.common.views.bad_request"
handler403 = "ceiba.common.views.permission_denied"
handler404 = "ceiba.common.views.page_not_found"
handler500 = "ceiba.common.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/language/", common_views.set_language, name="set_language"),
    path("", include("ceiba.core.urls")),
    path("observatory/", include("ceiba.observatory.urls")),
    path("api/v1/observatory/", include("ceiba.observatory.api.urls")),
    path("documentation/", include("ceiba.documentation.urls")),
    path("api/v1/documentation/", include("ceiba.documentation.api.urls")),
    path("assessment/", include("ceiba.assessment.urls")),
    path("api/v1/assessment/", include("ceiba.assessment.api.urls")),
    path("policy/", include("ceiba.policy.urls")),
    path("api/v1/policy/", include("ceiba.policy.api.urls")),
    path("api/v1/", include("ceiba.core.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
    path("django-admin/", admin.site.urls),
]
