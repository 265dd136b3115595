"""Permission matrices for every page and endpoint of progress reporting. Actions and plans reach the
members (the forum's participants get 404); only an action's leader files a report on it (others who
see the action get 403); a report follows ProgressReportPolicy; pages ask anonymous visitors to sign
in, the API answers 401."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceiba.common.testing.permissions import PERSONAS, permission_matrix

from .progress_factories import HEADER, progress_cycle

MEMBERS = {p: 200 for p in PERSONAS if p not in ("anonymous", "forum_participant")}
PAGE_MEMBERS = {**MEMBERS, "anonymous": 302, "forum_participant": 404}
API_MEMBERS = {**MEMBERS, "anonymous": 401, "forum_participant": 404}
SIGNED_IN = {p: 200 for p in PERSONAS if p != "anonymous"}
#: Who reads the police's report (TLP:AMBER, secretariat only): the secretariat and Argentina.
POLICE_READERS = {
    "secretariat_admin": 200,
    "secretariat_analyst": 200,
    "national_focal_point": 200,
    "national_analyst": 200,
}
#: Who leads an action: AMERIPOL's action participant (AMERIPOL's actions); Argentina's focal point
#: (the action Argentina leads as a state); Brazil's focal point leads none here but may upload.
LEADERS = ("national_focal_point", "national_focal_point@other_state", "action_participant")
JSON = "application/json"


def ameripol_action(w):
    return progress_cycle(w).actions[1]


def _report_form(w):
    year = dt.date.today().year
    return {
        "organisation": progress_cycle(w).ameripol.pk,
        "period_start": f"{year}-07-01",
        "period_end": f"{year}-09-30",
        "status": "ongoing",
        "progress": "50",
        "narrative": "Filed in a permission test (synthetic).",
        "tlp": "amber",
        "scope": "secretariat",
        f"kpi_{ameripol_action(w).kpis.get().pk}": "45",
    }


def _file(w):
    year = dt.date.today().year
    line = f"TC-P1-OA2,{year}-07-01,{year}-09-30,ongoing,50,x,K1,40,persons,,\n"
    return {"file": SimpleUploadedFile("progress.csv", (HEADER + line).encode(), content_type="text/csv")}


# --- pages --------------------------------------------------------------------------------------------

test_action_progress = permission_matrix(
    "policy:progress_action",
    url=lambda w: reverse("policy:progress_action", args=[ameripol_action(w).pk]),
    expect=PAGE_MEMBERS,
)
test_report_create_form = permission_matrix(
    "policy:progress_report_create",
    url=lambda w: reverse("policy:progress_report_create", args=[ameripol_action(w).pk]),
    expect={"anonymous": 302, "action_participant": 200, "forum_participant": 404},
    default=403,
)
test_report_create_post = permission_matrix(
    "policy:progress_report_create",
    url=lambda w: reverse("policy:progress_report_create", args=[ameripol_action(w).pk]),
    method="post",
    data=_report_form,
    expect={"anonymous": 302, "action_participant": 302, "forum_participant": 404},
    default=403,
)
test_state_action_report_create = permission_matrix(
    "policy:progress_report_create",
    url=lambda w: reverse("policy:progress_report_create", args=[progress_cycle(w).state_action.pk]),
    expect={"anonymous": 302, "national_focal_point": 200, "forum_participant": 404},
    default=403,
)
test_report_detail_restricted = permission_matrix(
    "policy:progress_report_detail",
    url=lambda w: reverse("policy:progress_report_detail", args=[progress_cycle(w).police_report.pk]),
    expect={**POLICE_READERS, "anonymous": 302},
    default=404,
)
test_report_detail_all_members = permission_matrix(
    "policy:progress_report_detail",
    url=lambda w: reverse("policy:progress_report_detail", args=[progress_cycle(w).ameripol_report.pk]),
    expect=PAGE_MEMBERS,
)
test_import_page = permission_matrix(
    "policy:progress_import",
    url=lambda w: reverse("policy:progress_import"),
    expect={"anonymous": 302, **{p: 200 for p in LEADERS}},
    default=403,
)
test_import_post = permission_matrix(
    "policy:progress_import",
    url=lambda w: reverse("policy:progress_import") if progress_cycle(w) else "",
    method="post",
    data=_file,
    # Argentina's and Brazil's focal points do not lead AMERIPOL's action: the page lists the problem.
    expect={
        "anonymous": 302,
        "action_participant": 302,
        "national_focal_point": 200,
        "national_focal_point@other_state": 200,
    },
    default=403,
)
test_template = permission_matrix(
    "policy:progress_template",
    url=lambda w: reverse("policy:progress_template"),
    expect={**SIGNED_IN, "anonymous": 302},
)
test_my_actions = permission_matrix(
    "policy:progress_my_actions",
    url=lambda w: reverse("policy:progress_my_actions"),
    expect={**SIGNED_IN, "anonymous": 302},
)
test_cycle_dashboard = permission_matrix(
    "policy:progress_cycle_dashboard",
    url=lambda w: reverse("policy:progress_cycle_dashboard", args=[progress_cycle(w).cycle.pk]),
    expect={**PAGE_MEMBERS, "forum_participant": 403},
)
test_plan_dashboard = permission_matrix(
    "policy:progress_plan_dashboard",
    url=lambda w: reverse("policy:progress_plan_dashboard", args=[progress_cycle(w).plans[0].pk]),
    expect=PAGE_MEMBERS,
)

# --- API ----------------------------------------------------------------------------------------------

test_api_list = permission_matrix(
    "policy-progress-report-list",
    url=lambda w: reverse("policy-progress-report-list") if progress_cycle(w) else "",
    expect={**SIGNED_IN, "anonymous": 401},
)


def _api_report(w):
    year = dt.date.today().year
    return {
        "action": ameripol_action(w).code,
        "period_start": f"{year}-07-01",
        "period_end": f"{year}-09-30",
        "status": "ongoing",
        "progress": 50,
        "narrative": "Filed in a permission test (synthetic).",
        "kpi_values": [{"kpi": "K1", "value": "45", "unit": "persons"}],
    }


test_api_create = permission_matrix(
    "policy-progress-report-list",
    url=lambda w: reverse("policy-progress-report-list"),
    method="post",
    data=_api_report,
    content_type=JSON,
    expect={"anonymous": 401, "action_participant": 201, "forum_participant": 404},
    default=403,
)
test_api_detail = permission_matrix(
    "policy-progress-report-detail",
    url=lambda w: reverse("policy-progress-report-detail", args=[progress_cycle(w).police_report.pk]),
    expect={**POLICE_READERS, "anonymous": 401},
    default=404,
)
test_api_import = permission_matrix(
    "policy-progress-import",
    url=lambda w: reverse("policy-progress-import") if progress_cycle(w) else "",
    method="post",
    data=_file,
    expect={
        "anonymous": 401,
        "action_participant": 201,
        "national_focal_point": 400,
        "national_focal_point@other_state": 400,
    },
    default=403,
)
test_api_rollup = permission_matrix(
    "policy-cycle-rollup",
    url=lambda w: reverse("policy-cycle-rollup", args=[progress_cycle(w).cycle.pk]),
    expect={**MEMBERS, "anonymous": 401, "forum_participant": 403},
)
