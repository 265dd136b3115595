"""Criminal network profiles: permission matrices for every page and endpoint, the dissemination
policy (drafts invisible to other states, released profiles visible as scoped), "unknown" kept
distinct from 0 in pages and API, validation naming the indicator, frozen after submission, and
pinned query counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ceiba.common.testing.permissions import permission_matrix
from ceiba.core.models import State
from ceiba.documentation import services
from ceiba.documentation.models import CriminalNetwork, NetworkIndicatorScore
from ceiba.sharing.choices import TLP, Scope

from .factories import contribution_for, network_in, open_cycle, report_in, submit

MEMBERS = {"anonymous": 302, "forum_participant": 403}
ARG_DRAFTERS = {"national_focal_point": 200, "national_analyst": 200}
OTHER_ANALYST = "national_analyst@other_state"


def argentine_draft_network(world) -> CriminalNetwork:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    return network_in(world, contribution, tlp=TLP.AMBER, scope=Scope.SECRETARIAT)


def brazilian_released_network(world, **fields) -> CriminalNetwork:
    """Brazil's submitted contribution with a TLP:GREEN network profile for all members."""
    contribution = contribution_for(world, open_cycle(world), "BRA")
    report_in(world, contribution, tlp=TLP.GREEN, scope=Scope.ALL_MEMBERS)
    network = network_in(world, contribution, tlp=TLP.GREEN, scope=Scope.ALL_MEMBERS, **fields)
    submit(world, contribution)
    return network


# --- permission matrices ---------------------------------------------------------------------------
test_network_create = permission_matrix(
    "documentation:network_create",
    url=lambda w: reverse(
        "documentation:network_create", args=[contribution_for(w, open_cycle(w), "ARG").pk]
    ),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_network_list = permission_matrix(
    "documentation:network_list",
    url=lambda w: reverse("documentation:network_list"),
    expect=MEMBERS,
    default=200,
)
test_network_detail = permission_matrix(
    "documentation:network_detail",
    url=lambda w: reverse("documentation:network_detail", args=[brazilian_released_network(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, "action_participant": 404},
    default=200,
)
test_network_edit = permission_matrix(
    "documentation:network_edit",
    url=lambda w: reverse("documentation:network_edit", args=[argentine_draft_network(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_api_networks = permission_matrix(
    "documentation-network-list",
    url=lambda w: reverse("documentation-network-list"),
    expect={"anonymous": 401},
    default=200,
)
test_api_network = permission_matrix(
    "documentation-network-detail",
    url=lambda w: reverse("documentation-network-detail", args=[brazilian_released_network(w).pk]),
    expect={"anonymous": 401, "action_participant": 404, "forum_participant": 404},
    default=200,
)


# --- access ---------------------------------------------------------------------------------------------


def test_another_states_draft_is_not_found_anywhere(world, persona_client) -> None:
    network = argentine_draft_network(world)
    client = persona_client(OTHER_ANALYST)
    assert client.get(reverse("documentation:network_detail", args=[network.pk])).status_code == 404
    assert client.get(reverse("documentation-network-detail", args=[network.pk])).status_code == 404
    page = client.get(reverse("documentation:network_list"))
    assert page.status_code == 200 and page.context["page"].paginator.count == 0
    assert network.alias not in page.content.decode()
    api = client.get(reverse("documentation-network-list")).json()
    assert api["count"] == 0 and api["results"] == []
    # The secretariat does not see a draft either; the own state does.
    secretariat = persona_client("secretariat_analyst")
    assert secretariat.get(reverse("documentation:network_detail", args=[network.pk])).status_code == 404
    own = persona_client("national_analyst")
    assert own.get(reverse("documentation:network_detail", args=[network.pk])).status_code == 200
    assert own.get(reverse("documentation-network-list")).json()["count"] == 1


def test_released_for_all_members_is_seen_by_another_states_analyst(world, persona_client) -> None:
    network = brazilian_released_network(world)
    client = persona_client("national_analyst")  # Argentina
    assert client.get(reverse("documentation:network_detail", args=[network.pk])).status_code == 200
    listed = client.get(reverse("documentation:network_list"))
    assert listed.context["page"].paginator.count == 1 and network.alias in listed.content.decode()
    api = client.get(reverse("documentation-network-list")).json()
    assert [row["id"] for row in api["results"]] == [network.pk]


def test_draft_network_is_listed_on_its_contribution_page(world, persona_client) -> None:
    network = argentine_draft_network(world)
    page = persona_client("national_analyst").get(
        reverse("documentation:contribution_detail", args=[network.contribution_id])
    )
    html = page.content.decode()
    assert reverse("documentation:network_detail", args=[network.pk]) in html
    assert reverse("documentation:network_create", args=[network.contribution_id]) in html


def test_filters_by_crime_area_and_state(world, persona_client) -> None:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    from ceiba.documentation.models import CrimeArea

    mining = CrimeArea.objects.get(code="illegal_mining")
    a = network_in(world, contribution, alias="Alpha (synthetic)", countries=[world.bra])
    b = network_in(
        world, contribution, alias="Bravo (synthetic)", main_crime_area=mining, secondary_crime_areas=[]
    )
    client = persona_client("national_analyst")

    def ids(**params) -> list[int]:
        return [
            row["id"] for row in client.get(reverse("documentation-network-list"), params).json()["results"]
        ]

    assert ids(crime_area="illegal_mining") == [b.pk]
    assert ids(state="BRA") == [a.pk]
    page = client.get(reverse("documentation:network_list"), {"crime_area": "cocaine_trafficking"})
    assert [n.pk for n in page.context["page"]] == [a.pk]


# --- unknown ≠ 0 ---------------------------------------------------------------------------------------


def test_unknown_and_zero_are_kept_distinct(world, persona_client) -> None:
    network = brazilian_released_network(
        world,
        indicators=[
            services.IndicatorData("violence", 0, "No violence observed (synthetic)."),
            services.IndicatorData("territorial_control", None, "Not assessed (synthetic)."),
        ],
    )
    stored = {row.indicator: row.score for row in NetworkIndicatorScore.objects.filter(network=network)}
    assert stored == {"violence": 0, "territorial_control": None}
    client = persona_client("national_analyst")
    html = client.get(reverse("documentation:network_detail", args=[network.pk])).content.decode()
    assert 'indicator indicator-0" data-score="0"' in html
    assert 'indicator indicator-unknown" data-score="unknown"' in html
    assert "No violence observed (synthetic)." in html
    data = client.get(reverse("documentation-network-detail", args=[network.pk])).json()
    scores = {row["indicator"]: row["score"] for row in data["indicators"]}
    assert scores["violence"] == 0 and scores["territorial_control"] is None


def test_an_analyst_drafts_a_network_in_the_page(world, persona_client) -> None:
    from ceiba.documentation.choices import NETWORK_INDICATOR_CODES
    from ceiba.documentation.models import CrimeArea

    contribution = contribution_for(world, open_cycle(world), "ARG")
    data = {
        "alias": "River Crew (synthetic)",
        "main_crime_area": CrimeArea.objects.get(code="cocaine_trafficking").pk,
        "countries": [world.arg.pk, world.bra.pk],
        "size_band": "10_49",
        "structure": "hierarchical",
        "grading_scheme": "admiralty",
        "source_reliability": "B",
        "information_credibility": "2",
        "tlp": "amber",
        "handling_code": "H1",
        "scope": "secretariat",
        "indicators-TOTAL_FORMS": str(len(NETWORK_INDICATOR_CODES)),
        "indicators-INITIAL_FORMS": str(len(NETWORK_INDICATOR_CODES)),
    }
    for i, code in enumerate(NETWORK_INDICATOR_CODES):
        data[f"indicators-{i}-indicator"] = code
        data[f"indicators-{i}-score"] = {"violence": "0", "corruption": "3"}.get(code, "")
        data[f"indicators-{i}-rationale"] = "Invented." if code == "corruption" else ""
    client = persona_client("national_analyst")
    assert client.get(reverse("documentation:network_create", args=[contribution.pk])).status_code == 200
    response = client.post(reverse("documentation:network_create", args=[contribution.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    network = CriminalNetwork.objects.get(alias="River Crew (synthetic)")
    assert network.originator == world.arg_police
    scores = {row.indicator: row.score for row in network.indicator_scores.all()}
    assert scores["violence"] == 0 and scores["corruption"] == 3 and scores["longevity"] is None
    assert set(network.countries.all()) == {world.arg, world.bra}
    edit = client.get(reverse("documentation:network_edit", args=[network.pk]))
    assert edit.status_code == 200


# --- validation and freezing -------------------------------------------------------------------------


def test_a_score_outside_the_scale_is_refused_naming_the_indicator(world, persona_client) -> None:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    with pytest.raises(ValidationError) as error:
        network_in(world, contribution, indicators=[services.IndicatorData("violence", 7)])
    assert any("Violence" in message for message in error.value.message_dict["indicators"])
    assert not CriminalNetwork.objects.exists()
    response = persona_client("national_analyst").post(
        reverse("documentation-network-list"),
        {
            "contribution": contribution.pk,
            "alias": "API network (synthetic)",
            "main_crime_area": "cocaine_trafficking",
            "source_reliability": "B",
            "information_credibility": "2",
            "indicators": [{"indicator": "corruption", "score": 5, "rationale": ""}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Corruption" in response.content.decode()
    assert not CriminalNetwork.objects.exists()


def test_the_api_creates_a_network_with_nested_scores(world, persona_client) -> None:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    response = persona_client("national_analyst").post(
        reverse("documentation-network-list"),
        {
            "contribution": contribution.pk,
            "alias": "API network (synthetic)",
            "main_crime_area": "cocaine_trafficking",
            "countries": ["ARG"],
            "source_reliability": "B",
            "information_credibility": "2",
            "indicators": [
                {"indicator": "violence", "score": 0, "rationale": "None seen."},
                {"indicator": "longevity", "score": None, "rationale": ""},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()
    scores = {row["indicator"]: row["score"] for row in response.json()["indicators"]}
    assert scores == {"violence": 0, "longevity": None}


def test_a_network_is_frozen_once_its_contribution_is_submitted(world, persona_client) -> None:
    network = brazilian_released_network(world)
    # Brazil's focal point may still change who receives it, but not its content.
    focal_point = "national_focal_point@other_state"
    with pytest.raises(ValidationError):
        services.network_update(network=network, actor=world.users[focal_point], alias="Changed (synthetic)")
    with pytest.raises(ValidationError):
        network_in(world, network.contribution, alias="Late (synthetic)")
    client = persona_client(focal_point)
    response = client.get(reverse("documentation:network_edit", args=[network.pk]))
    assert response.status_code == 302
    api = client.patch(
        reverse("documentation-network-detail", args=[network.pk]),
        {"alias": "Changed (synthetic)"},
        content_type="application/json",
    )
    assert api.status_code == 400
    network.refresh_from_db()
    assert network.alias == "Network (synthetic)"


# --- query counts --------------------------------------------------------------------------------------


def _networks(world, count: int) -> None:
    from ceiba.documentation.models import AssessmentCycle

    cycle = AssessmentCycle.objects.first() or open_cycle(world)
    contribution = contribution_for(world, cycle, "ARG")
    existing = CriminalNetwork.objects.count()
    for i in range(existing, count):
        network_in(
            world,
            contribution,
            alias=f"Network {i} (synthetic)",
            countries=list(State.objects.filter(iso3__in=["ARG", "BRA"])),
            indicators=[services.IndicatorData("violence", i % 5)],
        )


@pytest.mark.parametrize("url_name", ["documentation:network_list", "documentation-network-list"])
def test_list_query_counts_do_not_grow_with_rows(
    world, persona_client, django_assert_max_num_queries, url_name
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = persona_client("national_analyst")
    _networks(world, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _networks(world, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))
        assert response.status_code == 200
    assert len(few.captured_queries) <= 16
