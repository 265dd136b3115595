"""Permission matrices for every page and endpoint of the directory (anonymous, each role, each role
of another state). Restricted records answer 404; role-gated pages 403; anonymous users sign in."""

from __future__ import annotations

from django.urls import reverse

from ceiba.common.testing.permissions import PERSONAS, permission_matrix

EVERYONE_200 = {p: 200 for p in PERSONAS}
MEMBERS_200 = {"anonymous": 302}
SECRETARIAT = {"anonymous": 302, "secretariat_admin": 200, "secretariat_analyst": 200}
ADMIN = {"anonymous": 302, "secretariat_admin": 200}

test_home = permission_matrix("home", url=lambda w: reverse("home"), expect=EVERYONE_200)
test_healthz = permission_matrix("healthz", url=lambda w: reverse("healthz"), expect=EVERYONE_200)
test_state_list = permission_matrix(
    "core:state_list", url=lambda w: reverse("core:state_list"), expect=EVERYONE_200
)
test_state_detail = permission_matrix(
    "core:state_detail", url=lambda w: reverse("core:state_detail", args=["ARG"]), expect=EVERYONE_200
)
test_organisation_list = permission_matrix(
    "core:organisation_list", url=lambda w: reverse("core:organisation_list"), expect=EVERYONE_200
)
test_organisation_detail = permission_matrix(
    "core:organisation_detail",
    url=lambda w: reverse("core:organisation_detail", args=[w.arg_police.pk]),
    expect=EVERYONE_200,
)
test_dashboard = permission_matrix(
    "core:dashboard", url=lambda w: reverse("core:dashboard"), expect=MEMBERS_200, default=200
)
test_person_list = permission_matrix(
    "core:person_list", url=lambda w: reverse("core:person_list"), expect=MEMBERS_200, default=200
)
# An analyst of Argentina is seen by Argentina and the secretariat only: everyone else gets 404.
test_person_detail = permission_matrix(
    "core:person_detail",
    url=lambda w: reverse("core:person_detail", args=[w.users["national_analyst"].pk]),
    expect={
        "anonymous": 302,
        "secretariat_admin": 200,
        "secretariat_analyst": 200,
        "national_focal_point": 200,
        "national_analyst": 200,
    },
    default=404,
)
test_account = permission_matrix(
    "core:account", url=lambda w: reverse("core:account"), expect=MEMBERS_200, default=200
)
test_token_revoke = permission_matrix(
    "core:api_token_revoke",
    url=lambda w: reverse("core:api_token_revoke", args=["deadbeef"]),
    method="post",
    expect={"anonymous": 302},
    default=404,
)
test_login = permission_matrix(
    "core:login", url=lambda w: reverse("core:login"), expect={"anonymous": 200}, default=302
)
test_logout = permission_matrix(
    "core:logout", url=lambda w: reverse("core:logout"), method="post", expect={}, default=302
)
test_otp_verify = permission_matrix(
    "core:otp_verify",
    url=lambda w: reverse("core:otp_verify"),
    expect={"anonymous": 302, "forum_participant": 302},
    default=200,
)
test_otp_enrol = permission_matrix(
    "core:otp_enrol", url=lambda w: reverse("core:otp_enrol"), expect={"anonymous": 302}, default=200
)
test_set_language = permission_matrix(
    "set_language",
    url=lambda w: reverse("set_language"),
    method="post",
    data={"language": "fr"},
    expect={},
    default=302,
)
test_account_create = permission_matrix(
    "core:account_create", url=lambda w: reverse("core:account_create"), expect=ADMIN, default=403
)
test_account_edit = permission_matrix(
    "core:account_edit",
    url=lambda w: reverse("core:account_edit", args=[w.users["national_analyst"].pk]),
    expect=ADMIN,
    default=403,
)
test_membership_add = permission_matrix(
    "core:membership_add",
    url=lambda w: reverse("core:membership_add", args=[w.users["national_analyst"].pk]),
    expect=ADMIN,
    default=403,
)
test_membership_end = permission_matrix(
    "core:membership_end",
    url=lambda w: reverse("core:membership_end", args=[w.users["forum_participant"].memberships.get().pk]),
    method="post",
    expect={"anonymous": 302, "secretariat_admin": 302},
    default=403,
)
test_organisation_create = permission_matrix(
    "core:organisation_create", url=lambda w: reverse("core:organisation_create"), expect=ADMIN, default=403
)
test_organisation_edit = permission_matrix(
    "core:organisation_edit",
    url=lambda w: reverse("core:organisation_edit", args=[w.arg_police.pk]),
    expect=ADMIN,
    default=403,
)
test_state_edit = permission_matrix(
    "core:state_edit", url=lambda w: reverse("core:state_edit", args=["ARG"]), expect=ADMIN, default=403
)
test_record_history = permission_matrix(
    "core:record_history",
    url=lambda w: reverse("core:record_history", args=["organisation", w.arg_police.pk]),
    expect=SECRETARIAT,
    default=403,
)
test_audit_list = permission_matrix(
    "core:audit_list", url=lambda w: reverse("core:audit_list"), expect=SECRETARIAT, default=403
)

# --- API -----------------------------------------------------------------------------------------------
API_MEMBERS = {"anonymous": 401}
test_api_root = permission_matrix(
    "api-root", url=lambda w: reverse("api-root"), expect=API_MEMBERS, default=200
)
test_api_states = permission_matrix("state-list", url=lambda w: reverse("state-list"), expect=EVERYONE_200)
test_api_state = permission_matrix(
    "state-detail", url=lambda w: reverse("state-detail", args=["arg"]), expect=EVERYONE_200
)
test_api_organisations = permission_matrix(
    "organisation-list", url=lambda w: reverse("organisation-list"), expect=EVERYONE_200
)
test_api_organisation = permission_matrix(
    "organisation-detail",
    url=lambda w: reverse("organisation-detail", args=[w.arg_police.pk]),
    expect=EVERYONE_200,
)
test_api_organisation_create = permission_matrix(
    "organisation-list:post",
    url=lambda w: reverse("organisation-list"),
    method="post",
    data={"name": "Unidad de Información Financiera", "acronym": "UIF", "kind": "fiu", "state": "ARG"},
    content_type="application/json",
    expect={"anonymous": 401, "secretariat_admin": 201},
    default=403,
)
test_api_memberships = permission_matrix(
    "membership-list", url=lambda w: reverse("membership-list"), expect=API_MEMBERS, default=200
)
test_api_membership = permission_matrix(
    "membership-detail",
    url=lambda w: reverse("membership-detail", args=[w.users["national_analyst"].memberships.get().pk]),
    expect={
        "anonymous": 401,
        "secretariat_admin": 200,
        "secretariat_analyst": 200,
        "national_focal_point": 200,
        "national_analyst": 200,
    },
    default=404,
)
test_api_people = permission_matrix(
    "person-list", url=lambda w: reverse("person-list"), expect=API_MEMBERS, default=200
)
test_api_person = permission_matrix(
    "person-detail",
    url=lambda w: reverse("person-detail", args=[w.users["national_analyst"].pk]),
    expect={
        "anonymous": 401,
        "secretariat_admin": 200,
        "secretariat_analyst": 200,
        "national_focal_point": 200,
        "national_analyst": 200,
    },
    default=404,
)
test_api_me = permission_matrix("api-me", url=lambda w: reverse("api-me"), expect=API_MEMBERS, default=200)
test_api_schema = permission_matrix("api_schema", url=lambda w: reverse("api_schema"), expect=EVERYONE_200)
test_api_docs = permission_matrix("api_docs", url=lambda w: reverse("api_docs"), expect=EVERYONE_200)
test_api_redoc = permission_matrix("api_redoc", url=lambda w: reverse("api_redoc"), expect=EVERYONE_200)


def _job_of_national_analyst(world):
    from ceiba.common.models import Job

    return Job.objects.create(
        name="Import", function="tests.test_jobs.count_to", created_by=world.users["national_analyst"]
    )


test_job_detail = permission_matrix(
    "core:job_detail",
    url=lambda w: reverse("core:job_detail", args=[_job_of_national_analyst(w).pk]),
    expect={"anonymous": 302, "secretariat_admin": 200, "secretariat_analyst": 200, "national_analyst": 200},
    default=404,
)
