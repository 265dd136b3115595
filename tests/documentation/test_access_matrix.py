"""THE ACCESS MATRIX (ARCHITECTURE.md §4, docs/decisions/0020): for every persona × TLP marking ×
dissemination scope × originator state × workflow status, a threat report is visible on the list
page, the detail page and the API exactly when the rules say so; otherwise it answers 404 and is
never counted. Every view of a restricted record is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceiba.common.models import AuditAction, AuditEvent
from ceiba.core.models import Organisation, State
from ceiba.documentation.models import ThreatReport
from ceiba.sharing.choices import TLP, Scope

from .factories import OTHER_STATE, contribution_for, report_in, submit

PERSONAS = (
    "secretariat_admin",
    "secretariat_analyst",
    "national_focal_point",
    "national_analyst",
    "national_focal_point@other_state",
    "national_analyst@other_state",
    "committee_delegate@other_state",
    "action_participant",
    "forum_participant",
)
HOME_STATE = {
    "national_focal_point": "ARG",
    "national_analyst": "ARG",
    "national_focal_point@other_state": "BRA",
    "national_analyst@other_state": "BRA",
}
SECRETARIAT = {"secretariat_admin", "secretariat_analyst"}
#: Scope variants: the scope and whom it names (the other originator state and AMERIPOL, or the
#: secretariat organisation).
SCOPES = ("originator", "secretariat", "named_other_state_and_ameripol", "named_secretariat", "all_members")


def expected_visible(persona: str, tlp: str, scope: str, originator: str, submitted: bool) -> bool:
    """The rules of decision 0020, written independently of the policy code."""
    if HOME_STATE.get(persona) == originator:
        return True
    if not submitted:
        return False
    all_members = scope == "all_members" and tlp != TLP.RED
    if persona in SECRETARIAT:
        return scope in ("secretariat", "named_secretariat") or all_members
    if persona in HOME_STATE:
        return scope == "named_other_state_and_ameripol" or all_members
    if persona == "action_participant":
        return scope == "named_other_state_and_ameripol"
    if persona == "committee_delegate@other_state":
        return all_members
    return False


def make_report(world, tlp: str, scope: str, originator: str, submitted: bool) -> ThreatReport:
    contribution = contribution_for(world, _cycle(world), originator)
    states, organisations = [], []
    if scope == "named_other_state_and_ameripol":
        states = [State.objects.get(iso3=OTHER_STATE[originator])]
        organisations = [Organisation.objects.get(acronym="AMERIPOL")]
    if scope == "named_secretariat":
        organisations = [world.secretariat]
    stored_scope = Scope.NAMED if scope.startswith("named") else Scope(scope)
    # TLP:RED with "all members" is refused by validation; store it anyway to prove the policy
    # itself never widens RED.
    forced_red = tlp == TLP.RED and stored_scope == Scope.ALL_MEMBERS
    report = report_in(
        world,
        contribution,
        tlp=TLP.AMBER if forced_red else tlp,
        scope=stored_scope,
        states=states,
        organisations=organisations,
    )
    if forced_red:
        ThreatReport.objects.filter(pk=report.pk).update(tlp=TLP.RED)
    if submitted:
        submit(world, contribution)
    return report


def _cycle(world):
    from .factories import open_cycle

    return open_cycle(world)


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("tlp", list(TLP.values))
@pytest.mark.parametrize("originator", ["ARG", "BRA"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(world, persona_client, persona, originator, tlp, scope, submitted) -> None:
    report = make_report(world, tlp, scope, originator, submitted)
    visible = expected_visible(persona, tlp, scope, originator, submitted)
    page_status = 403 if persona == "forum_participant" else 200
    client = persona_client(persona)

    listing = client.get(reverse("documentation:report_list"))
    assert listing.status_code == page_status
    listed = page_status == 200 and [r.pk for r in listing.context["page"]] == [report.pk]
    assert listed == visible
    assert page_status != 200 or listing.context["page"].paginator.count == int(visible)

    detail = client.get(reverse("documentation:report_detail", args=[report.pk]))
    assert detail.status_code == (200 if visible else 404 if page_status == 200 else 403)

    api_list = client.get(reverse("documentation-threat-report-list"))
    assert api_list.status_code == 200
    assert api_list.json()["count"] == int(visible)
    assert [r["id"] for r in api_list.json()["results"]] == ([report.pk] if visible else [])

    api_detail = client.get(reverse("documentation-threat-report-detail", args=[report.pk]))
    assert api_detail.status_code == (200 if visible else 404)

    audited = AuditEvent.objects.filter(
        action=AuditAction.VIEW_RESTRICTED,
        object_type="documentation.threatreport",
        object_id=str(report.pk),
        actor=world.users[persona],
    ).count()
    assert audited == (2 if visible and tlp != TLP.CLEAR else 0)
