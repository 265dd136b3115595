"""The regional threat assessment's API (under /api/v1/assessment/)."""

from django.urls import path

from . import report

urlpatterns = [
    # --- The report (branch `report`) -------------------------------------------------------------
    path("runs/<int:pk>/report/", report.RunReportAPIView.as_view(), name="assessment-run-report"),
    # --- end of the report ------------------------------------------------------------------------
]
