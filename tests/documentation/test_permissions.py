"""Permission matrices for every page and endpoint of threat documentation. Records outside a
persona's reach answer 404; role-gated pages 403; forum participants never reach member data."""

from __future__ import annotations

from django.urls import reverse

from ceiba.common.testing.permissions import PERSONAS, permission_matrix
from ceiba.sharing.choices import TLP, Scope

from .factories import contribution_for, open_cycle, report_in, submit

EVERYONE_200 = {p: 200 for p in PERSONAS}
MEMBERS = {"anonymous": 302, "forum_participant": 403}
ADMIN = {"anonymous": 302, "secretariat_admin": 200}
SECRETARIAT = {"anonymous": 302, "secretariat_admin": 200, "secretariat_analyst": 200}
ARG_DRAFTERS = {"national_focal_point": 200, "national_analyst": 200}
DRAFTERS = {
    **ARG_DRAFTERS,
    "national_focal_point@other_state": 200,
    "national_analyst@other_state": 200,
}
API = {"anonymous": 401}


def argentine_draft(world):
    """A cycle with Argentina's draft contribution holding one report (by its analyst, at PFA)."""
    contribution = contribution_for(world, open_cycle(world), "ARG")
    return report_in(world, contribution, tlp=TLP.AMBER, scope=Scope.SECRETARIAT)


def brazilian_submission(world):
    """Brazil's submitted contribution with a TLP:GREEN report for all members."""
    contribution = contribution_for(world, open_cycle(world), "BRA")
    report = report_in(world, contribution, tlp=TLP.GREEN, scope=Scope.ALL_MEMBERS)
    submit(world, contribution)
    return report


test_crime_area_list = permission_matrix(
    "documentation:crime_area_list",
    url=lambda w: reverse("documentation:crime_area_list"),
    expect=EVERYONE_200,
)
test_cycle_list = permission_matrix(
    "documentation:cycle_list", url=lambda w: reverse("documentation:cycle_list"), expect=MEMBERS, default=200
)
test_cycle_create = permission_matrix(
    "documentation:cycle_create",
    url=lambda w: reverse("documentation:cycle_create"),
    expect=ADMIN,
    default=403,
)
test_cycle_detail = permission_matrix(
    "documentation:cycle_detail",
    url=lambda w: reverse("documentation:cycle_detail", args=[open_cycle(w).pk]),
    expect=MEMBERS,
    default=200,
)
test_cycle_contribution = permission_matrix(
    "documentation:cycle_contribution",
    url=lambda w: reverse("documentation:cycle_contribution", args=[open_cycle(w).pk]),
    expect={"anonymous": 302, **DRAFTERS},
    default=403,
)
# Argentina's draft: Argentina only. Everyone else, the secretariat included, gets "not found".
test_contribution_detail = permission_matrix(
    "documentation:contribution_detail",
    url=lambda w: reverse("documentation:contribution_detail", args=[argentine_draft(w).contribution_id]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_contribution_submit = permission_matrix(
    "documentation:contribution_submit",
    url=lambda w: reverse("documentation:contribution_submit", args=[argentine_draft(w).contribution_id]),
    method="post",
    expect={"anonymous": 302, "forum_participant": 403, "national_focal_point": 302, "national_analyst": 403},
    default=404,
)
test_contribution_validate = permission_matrix(
    "documentation:contribution_validate",
    url=lambda w: reverse(
        "documentation:contribution_validate", args=[brazilian_submission(w).contribution_id]
    ),
    method="post",
    expect={"anonymous": 302, "secretariat_admin": 302, "secretariat_analyst": 302},
    default=403,
)
test_contribution_return = permission_matrix(
    "documentation:contribution_return",
    url=lambda w: reverse(
        "documentation:contribution_return", args=[brazilian_submission(w).contribution_id]
    ),
    expect=SECRETARIAT,
    default=403,
)
test_report_create = permission_matrix(
    "documentation:report_create",
    url=lambda w: reverse("documentation:report_create", args=[argentine_draft(w).contribution_id]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_report_list = permission_matrix(
    "documentation:report_list",
    url=lambda w: reverse("documentation:report_list"),
    expect=MEMBERS,
    default=200,
)
# Brazil's TLP:GREEN report for all members: every member state and the secretariat; AMERIPOL's
# action participant is not a member state.
test_report_detail = permission_matrix(
    "documentation:report_detail",
    url=lambda w: reverse("documentation:report_detail", args=[brazilian_submission(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, "action_participant": 404},
    default=200,
)
test_report_edit = permission_matrix(
    "documentation:report_edit",
    url=lambda w: reverse("documentation:report_edit", args=[argentine_draft(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
# Only Brazil's focal point changes who receives a submitted Brazilian report; those who see it get 403.
test_report_dissemination = permission_matrix(
    "documentation:report_dissemination",
    url=lambda w: reverse("documentation:report_dissemination", args=[brazilian_submission(w).pk]),
    expect={
        "anonymous": 302,
        "national_focal_point@other_state": 200,
        "action_participant": 404,
    },
    default=403,
)

# --- API -----------------------------------------------------------------------------------------------
test_api_crime_areas = permission_matrix(
    "documentation-crime-area-list",
    url=lambda w: reverse("documentation-crime-area-list"),
    expect=EVERYONE_200,
)
test_api_crime_area = permission_matrix(
    "documentation-crime-area-detail",
    url=lambda w: reverse("documentation-crime-area-detail", args=["cocaine_trafficking"]),
    expect=EVERYONE_200,
)
test_api_cycles = permission_matrix(
    "documentation-cycle-list", url=lambda w: reverse("documentation-cycle-list"), expect=API, default=200
)
test_api_cycle_create = permission_matrix(
    "documentation-cycle-list:post",
    url=lambda w: reverse("documentation-cycle-list"),
    method="post",
    data={
        "name": "IDEAL 2031 (synthetic)",
        "contribution_deadline": "2031-01-31",
        "crime_areas": ["kidnapping"],
    },
    content_type="application/json",
    expect={"anonymous": 401, "secretariat_admin": 201},
    default=403,
)
test_api_cycle = permission_matrix(
    "documentation-cycle-detail",
    url=lambda w: reverse("documentation-cycle-detail", args=[open_cycle(w).pk]),
    expect={"anonymous": 401, "forum_participant": 404},
    default=200,
)
test_api_contributions = permission_matrix(
    "documentation-contribution-list",
    url=lambda w: reverse("documentation-contribution-list"),
    expect=API,
    default=200,
)
test_api_contribution = permission_matrix(
    "documentation-contribution-detail",
    url=lambda w: reverse("documentation-contribution-detail", args=[argentine_draft(w).contribution_id]),
    expect={"anonymous": 401, **ARG_DRAFTERS},
    default=404,
)
test_api_contribution_submit = permission_matrix(
    "documentation-contribution-submit",
    url=lambda w: reverse("documentation-contribution-submit", args=[argentine_draft(w).contribution_id]),
    method="post",
    expect={"anonymous": 401, "national_focal_point": 200, "national_analyst": 403},
    default=404,
)
BRAZIL_AND_SECRETARIAT = {
    "anonymous": 401,
    "secretariat_admin": 200,
    "secretariat_analyst": 200,
    "national_focal_point@other_state": 403,
    "national_analyst@other_state": 403,
}
test_api_contribution_validate = permission_matrix(
    "documentation-contribution-validate",
    url=lambda w: reverse(
        "documentation-contribution-validate", args=[brazilian_submission(w).contribution_id]
    ),
    method="post",
    expect=BRAZIL_AND_SECRETARIAT,
    default=404,
)
test_api_contribution_return = permission_matrix(
    "documentation-contribution-return",
    url=lambda w: reverse(
        "documentation-contribution-return", args=[brazilian_submission(w).contribution_id]
    ),
    method="post",
    data={"comments": "Add the 2025 seizure figures (synthetic)."},
    content_type="application/json",
    expect=BRAZIL_AND_SECRETARIAT,
    default=404,
)
test_api_threat_reports = permission_matrix(
    "documentation-threat-report-list",
    url=lambda w: reverse("documentation-threat-report-list"),
    expect=API,
    default=200,
)
test_api_threat_report = permission_matrix(
    "documentation-threat-report-detail",
    url=lambda w: reverse("documentation-threat-report-detail", args=[brazilian_submission(w).pk]),
    expect={"anonymous": 401, "action_participant": 404, "forum_participant": 404},
    default=200,
)
