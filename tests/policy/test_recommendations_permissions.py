"""Permission matrices for every page and endpoint of recommendations and their follow-up. A
restricted recommendation is "not found" for the public; the secretariat's actions answer 403 to
anyone else who may read the record; reports are filed only by the addressee (403 for anyone else);
pages send anonymous visitors to sign in, the API answers 401."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ceiba.common.testing.permissions import PERSONAS, permission_matrix

from .recommendation_fixtures import (
    arg_addressee,
    base,
    body_addressee,
    evidence_report,
    pending_report,
    restricted,
    unreported,
)

EVERYONE = {p: 200 for p in PERSONAS}
SECRETARIAT = {"secretariat_admin": 200, "secretariat_analyst": 200}
MEMBERS = {p: 200 for p in PERSONAS if p not in ("anonymous", "forum_participant")}
ARG = ("national_focal_point", "national_analyst")
JSON = "application/json"


@pytest.fixture(autouse=True)
def _pdf_cache(settings: Any, tmp_path: Path) -> None:
    settings.CEIBA_REPORT_CACHE_DIR = str(tmp_path / "reports")


def _review(done: int) -> dict[str, int]:
    """Who may validate or return the Argentine pending report: sees it (secretariat, Argentina)."""
    return {"secretariat_admin": done, "secretariat_analyst": done, **dict.fromkeys(ARG, 403)}


# --- pages --------------------------------------------------------------------------------------------

test_list = permission_matrix(
    "policy:recommendation_list",
    url=lambda w: (base(w), reverse("policy:recommendation_list"))[1],
    expect=EVERYONE,
)
test_create = permission_matrix(
    "policy:recommendation_create",
    url=lambda w: reverse("policy:recommendation_create"),
    expect={"anonymous": 302, **SECRETARIAT},
    default=403,
)
test_detail_public = permission_matrix(
    "policy:recommendation_detail",
    url=lambda w: reverse("policy:recommendation_detail", args=[base(w).pk]),
    expect=EVERYONE,
)
test_detail_restricted = permission_matrix(
    "policy:recommendation_detail",
    url=lambda w: reverse("policy:recommendation_detail", args=[restricted(w).pk]),
    expect={**MEMBERS, "anonymous": 302, "forum_participant": 404},
)
test_edit = permission_matrix(
    "policy:recommendation_edit",
    url=lambda w: reverse("policy:recommendation_edit", args=[base(w).pk]),
    expect={"anonymous": 302, **SECRETARIAT},
    default=403,
)
test_report_state = permission_matrix(
    "policy:recommendation_report",
    url=lambda w: reverse("policy:recommendation_report", args=[arg_addressee(w).pk]),
    expect={"anonymous": 302, "national_focal_point": 200},
    default=403,
)
test_report_body = permission_matrix(
    "policy:recommendation_report",
    url=lambda w: reverse("policy:recommendation_report", args=[body_addressee(w).pk]),
    expect={"anonymous": 302, "action_participant": 200, "forum_participant": 404},
    default=403,
)
test_validate = permission_matrix(
    "policy:recommendation_report_validate",
    url=lambda w: reverse("policy:recommendation_report_validate", args=[pending_report(w).pk]),
    method="post",
    expect={"anonymous": 302, **_review(302)},
    default=404,
)
test_return = permission_matrix(
    "policy:recommendation_report_return",
    url=lambda w: reverse("policy:recommendation_report_return", args=[pending_report(w).pk]),
    method="post",
    data={"note": "Add the decree (synthetic)."},
    expect={"anonymous": 302, **_review(302)},
    default=404,
)
test_evidence = permission_matrix(
    "policy:recommendation_evidence",
    url=lambda w: reverse("policy:recommendation_evidence", args=[evidence_report(w).pk]),
    expect={"anonymous": 302, **SECRETARIAT, **dict.fromkeys(ARG, 200)},
    default=404,
)
test_followup = permission_matrix(
    "policy:recommendation_followup",
    url=lambda w: (restricted(w), reverse("policy:recommendation_followup"))[1],
    expect=EVERYONE,
)
test_followup_pdf = permission_matrix(
    "policy:recommendation_followup_pdf",
    url=lambda w: (restricted(w), reverse("policy:recommendation_followup_pdf"))[1],
    expect=EVERYONE,
)
test_followup_state = permission_matrix(
    "policy:recommendation_followup_state",
    url=lambda w: (restricted(w), reverse("policy:recommendation_followup_state", args=["ARG"]))[1],
    expect=EVERYONE,
)
test_followup_state_pdf = permission_matrix(
    "policy:recommendation_followup_state_pdf",
    url=lambda w: (restricted(w), reverse("policy:recommendation_followup_state_pdf", args=["ARG"]))[1],
    expect=EVERYONE,
)

# --- API ----------------------------------------------------------------------------------------------

test_api_list = permission_matrix(
    "policy-recommendation-list",
    url=lambda w: (restricted(w), reverse("policy-recommendation-list"))[1],
    expect=EVERYONE,
)
test_api_create = permission_matrix(
    "policy-recommendation-list",
    url=lambda w: reverse("policy-recommendation-list"),
    method="post",
    data=lambda w: {
        "code": "TC-R9 (synthetic)",
        "title": "A recommendation recorded in a permission test (synthetic)",
        "text": "Synthetic.",
        "source": "evaluation",
        "source_reference": "Evaluation 2026 (synthetic)",
        "deadline": "2030-01-31",
        "visibility": "public",
        "states": ["ARG"],
    },
    content_type=JSON,
    expect={"anonymous": 401, "secretariat_admin": 201, "secretariat_analyst": 201},
    default=403,
)
test_api_detail = permission_matrix(
    "policy-recommendation-detail",
    url=lambda w: reverse("policy-recommendation-detail", args=[restricted(w).pk]),
    expect=MEMBERS,
    default=404,
)
test_api_update = permission_matrix(
    "policy-recommendation-detail",
    url=lambda w: reverse("policy-recommendation-detail", args=[base(w).pk]),
    method="patch",
    data=lambda w: {"title": "Edited in a permission test (synthetic)", "lock_version": base(w).lock_version},
    content_type=JSON,
    expect={"anonymous": 401, **SECRETARIAT},
    default=403,
)
test_api_delete = permission_matrix(
    "policy-recommendation-detail",
    url=lambda w: reverse("policy-recommendation-detail", args=[unreported(w).pk]),
    method="delete",
    expect={"anonymous": 401, "secretariat_admin": 204, "secretariat_analyst": 204},
    default=403,
)
test_api_addressees = permission_matrix(
    "policy-addressee-list",
    url=lambda w: (restricted(w), reverse("policy-addressee-list"))[1],
    expect=EVERYONE,
)
test_api_addressee = permission_matrix(
    "policy-addressee-detail",
    url=lambda w: reverse("policy-addressee-detail", args=[body_addressee(w).pk]),
    expect=MEMBERS,
    default=404,
)
test_api_reports = permission_matrix(
    "policy-implementation-report-list",
    url=lambda w: (restricted(w), reverse("policy-implementation-report-list"))[1],
    expect={p: 200 for p in PERSONAS if p != "anonymous"},
    default=401,
)
test_api_report_create = permission_matrix(
    "policy-implementation-report-list",
    url=lambda w: reverse("policy-implementation-report-list"),
    method="post",
    data=lambda w: {
        "addressee": body_addressee(w).pk,
        "status": "in_progress",
        "narrative": "Started (synthetic).",
    },
    content_type=JSON,
    # An addressee one may not see answers like one that does not exist (400 on the field).
    expect={"anonymous": 401, "action_participant": 201, "forum_participant": 400},
    default=403,
)
test_api_report_detail = permission_matrix(
    "policy-implementation-report-detail",
    url=lambda w: reverse("policy-implementation-report-detail", args=[pending_report(w).pk]),
    expect={"anonymous": 401, **SECRETARIAT, **dict.fromkeys(ARG, 200)},
    default=404,
)
test_api_report_validate = permission_matrix(
    "policy-implementation-report-validate",
    url=lambda w: reverse("policy-implementation-report-validate", args=[pending_report(w).pk]),
    method="post",
    expect={"anonymous": 401, **_review(200)},
    default=404,
)
test_api_report_return = permission_matrix(
    "policy-implementation-report-return",
    url=lambda w: reverse("policy-implementation-report-return", args=[pending_report(w).pk]),
    method="post",
    data={"note": "Add the decree (synthetic)."},
    content_type=JSON,
    expect={"anonymous": 401, **_review(200)},
    default=404,
)
test_api_followup = permission_matrix(
    "policy-follow-up-summary",
    url=lambda w: (restricted(w), reverse("policy-follow-up-summary"))[1],
    expect=EVERYONE,
)
test_api_followup_state = permission_matrix(
    "policy-follow-up-state",
    url=lambda w: (restricted(w), reverse("policy-follow-up-state", args=["ARG"]))[1],
    expect=EVERYONE,
)
