"""Pages of the regional threat assessment (under /assessment/)."""

from django.urls import path

from . import report_views

app_name = "assessment"

urlpatterns = [
    # --- The report (branch `report`) -------------------------------------------------------------
    path("runs/<int:pk>/report/", report_views.report_page, name="report"),
    path("runs/<int:pk>/report.pdf", report_views.report_pdf, name="report_pdf"),
    # --- end of the report ------------------------------------------------------------------------
]
