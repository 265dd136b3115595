"""Permission matrices for the explanation and comparison pages and endpoints. A run one may not see
is "not found"; so is a network of a visible run whose profile one may not see. The published public
run is readable by everyone, its networks only by those who may see their profiles."""

from __future__ import annotations

from django.urls import reverse

from ceiba.assessment.choices import Audience
from ceiba.assessment.models import AssessmentRun
from ceiba.common.testing.permissions import permission_matrix

from .run_factories import public_run, restricted_run

#: Who reads the restricted run (TLP:AMBER): the secretariat and committee delegates.
RESTRICTED_READERS = {
    "secretariat_admin": 200,
    "secretariat_analyst": 200,
    "committee_delegate@other_state": 200,
}
#: Who may see the public run's networks (TLP:CLEAR, all members): member-state and secretariat users.
NETWORK_READERS_404 = {"anonymous": 404, "action_participant": 404, "forum_participant": 404}


def demo_run(world, audience: str) -> AssessmentRun:
    """A small validated cycle's run (much quicker than the demo): the restricted one is TLP:AMBER,
    the public one published."""
    return public_run(world) if audience == Audience.PUBLIC else restricted_run(world)


def first_network(run: AssessmentRun) -> str:
    return str(run.results["networks"][0]["key"])


def network_page(world) -> str:
    run = demo_run(world, Audience.PUBLIC)
    return reverse("assessment:explain_network", args=[run.pk, first_network(run)])


def area_page(world) -> str:
    run = demo_run(world, Audience.RESTRICTED)
    return reverse(
        "assessment:explain_area", args=[run.pk, "cocaine_trafficking", "subregion", "southern_cone"]
    )


def public_area_page(world) -> str:
    run = demo_run(world, Audience.PUBLIC)
    return reverse("assessment:explain_area", args=[run.pk, "cocaine_trafficking", "region", "region"])


def comparison(world, name: str = "assessment:compare") -> str:
    restricted, public = demo_run(world, Audience.RESTRICTED), demo_run(world, Audience.PUBLIC)
    return f"{reverse(name)}?before={restricted.pk}&after={public.pk}"


test_explain_network = permission_matrix(
    "assessment:explain_network", url=network_page, expect=NETWORK_READERS_404, default=200
)
test_explain_area = permission_matrix(
    "assessment:explain_area", url=area_page, expect=RESTRICTED_READERS, default=404
)
test_explain_area_of_the_published_run = permission_matrix(
    "assessment:explain_area", url=public_area_page, expect={}, default=200
)
test_compare = permission_matrix("assessment:compare", url=comparison, expect=RESTRICTED_READERS, default=404)
test_compare_form = permission_matrix(
    "assessment:compare", url=lambda w: reverse("assessment:compare"), expect={}, default=200
)

# --- API ----------------------------------------------------------------------------------------


def network_endpoint(world) -> str:
    run = demo_run(world, Audience.PUBLIC)
    return reverse("assessment-explain-network", args=[run.pk, first_network(run)])


def area_endpoint(world) -> str:
    run = demo_run(world, Audience.RESTRICTED)
    return reverse("assessment-explain-area", args=[run.pk, "cocaine_trafficking", "region", "region"])


test_api_explain_network = permission_matrix(
    "assessment-explain-network",
    url=network_endpoint,
    expect={"anonymous": 401, "action_participant": 404, "forum_participant": 404},
    default=200,
)
test_api_explain_area = permission_matrix(
    "assessment-explain-area", url=area_endpoint, expect={"anonymous": 401, **RESTRICTED_READERS}, default=404
)
test_api_compare = permission_matrix(
    "assessment-compare",
    url=lambda w: comparison(w, "assessment-compare"),
    expect={"anonymous": 401, **RESTRICTED_READERS},
    default=404,
)
