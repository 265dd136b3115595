"""The originator's page to change who receives a criminal network profile after submission: only
the originator state's focal point reaches it (others who see the profile get 403, the rest 404);
widening and narrowing change who sees the profile, and every change is audited."""

from __future__ import annotations

from django.urls import reverse

from ceiba.common.models import AuditEvent
from ceiba.common.testing.permissions import permission_matrix
from ceiba.documentation.models import CriminalNetwork
from ceiba.sharing.choices import TLP, Scope

from .factories import contribution_for, network_in, open_cycle, report_in, submit

BRAZIL_FOCAL = "national_focal_point@other_state"


def brazilian_network(world, *, tlp: str = TLP.GREEN, scope: str = Scope.ALL_MEMBERS) -> CriminalNetwork:
    """A network profile in Brazil's submitted contribution."""
    contribution = contribution_for(world, open_cycle(world), "BRA")
    report_in(world, contribution, tlp=TLP.GREEN, scope=Scope.ALL_MEMBERS)
    network = network_in(world, contribution, tlp=tlp, scope=scope, alias="Los Sintéticos (synthetic)")
    submit(world, contribution)
    return network


def dissemination_url(network: CriminalNetwork) -> str:
    return reverse("documentation:network_dissemination", args=[network.pk])


def form(scope: str, tlp: str = TLP.GREEN, **extra: object) -> dict[str, object]:
    return {"tlp": tlp, "handling_code": "H0", "handling_conditions": "", "scope": scope, **extra}


test_network_dissemination = permission_matrix(
    "documentation:network_dissemination",
    url=lambda w: dissemination_url(brazilian_network(w)),
    expect={"anonymous": 302, BRAZIL_FOCAL: 200, "action_participant": 404},
    default=403,
)


def test_a_hidden_network_answers_404_to_those_who_cannot_see_it(world, persona_client) -> None:
    network = brazilian_network(world, tlp=TLP.AMBER, scope=Scope.ORIGINATOR)
    for persona in ("national_focal_point", "secretariat_admin", "committee_delegate@other_state"):
        assert persona_client(persona).get(dissemination_url(network)).status_code == 404


def test_the_network_page_links_the_form_for_the_focal_point_only(world, persona_client) -> None:
    network = brazilian_network(world)
    detail = reverse("documentation:network_detail", args=[network.pk])
    link = dissemination_url(network)
    assert link in persona_client(BRAZIL_FOCAL).get(detail).content.decode()
    for persona in ("national_analyst@other_state", "secretariat_admin", "national_focal_point"):
        assert link not in persona_client(persona).get(detail).content.decode()


def test_the_focal_point_narrows_then_widens_and_each_change_is_audited(world, persona_client) -> None:
    network = brazilian_network(world)
    detail = reverse("documentation:network_detail", args=[network.pk])
    focal = persona_client(BRAZIL_FOCAL)
    assert persona_client("national_analyst").get(detail).status_code == 200

    narrowed = focal.post(dissemination_url(network), form(Scope.SECRETARIAT, tlp=TLP.AMBER))
    assert narrowed.status_code == 302
    network.refresh_from_db()
    assert (network.scope, network.tlp) == (Scope.SECRETARIAT, TLP.AMBER)
    assert persona_client("national_analyst").get(detail).status_code == 404
    assert persona_client("secretariat_analyst").get(detail).status_code == 200

    widened = focal.post(
        dissemination_url(network), form(Scope.NAMED, tlp=TLP.AMBER, shared_with_states=[world.arg.pk])
    )
    assert widened.status_code == 302
    assert persona_client("national_analyst").get(detail).status_code == 200
    assert persona_client("secretariat_analyst").get(detail).status_code == 404

    events = AuditEvent.objects.filter(
        object_type="documentation.criminalnetwork",
        object_id=str(network.pk),
        changes__has_key="dissemination",
    ).order_by("pk")
    assert [e.changes["dissemination"]["scope"]["new"] for e in events] == ["secretariat", "named"]
    assert {e.actor for e in events} == {world.users[BRAZIL_FOCAL]}


def test_others_never_change_it_even_by_posting(world, persona_client) -> None:
    network = brazilian_network(world)
    for persona in ("national_analyst@other_state", "secretariat_admin", "national_focal_point"):
        response = persona_client(persona).post(dissemination_url(network), form(Scope.ORIGINATOR))
        assert response.status_code == 403
    network.refresh_from_db()
    assert network.scope == Scope.ALL_MEMBERS
    assert not AuditEvent.objects.filter(
        object_type="documentation.criminalnetwork", changes__has_key="dissemination"
    ).exists()


def test_an_invalid_choice_is_refused_with_a_message(world, persona_client) -> None:
    network = brazilian_network(world)
    response = persona_client(BRAZIL_FOCAL).post(
        dissemination_url(network), form(Scope.ALL_MEMBERS, tlp=TLP.RED), headers={"accept-language": "en"}
    )
    assert response.status_code == 400
    assert "TLP:RED" in response.content.decode()
    network.refresh_from_db()
    assert network.tlp == TLP.GREEN
