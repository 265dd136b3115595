"""Permission matrices for the STIX 2.1 downloads and API endpoints: members only on the pages,
signed-in callers on the API (who get what they may export, possibly nothing)."""

from __future__ import annotations

from django.urls import reverse

from ceiba.common.testing.permissions import permission_matrix
from ceiba.sharing.choices import TLP, Scope

from .factories import contribution_for, network_in, open_cycle, report_in, submit

MEMBERS = {"anonymous": 302, "forum_participant": 403}
API = {"anonymous": 401}


def with_records(name):
    """An Argentine draft report and network, and a Brazilian submitted report and network for all
    members (synthetic), then the URL."""

    def url(world):
        cycle = open_cycle(world)
        argentine = contribution_for(world, cycle, "ARG")
        report_in(world, argentine)
        network_in(world, argentine)
        brazilian = contribution_for(world, cycle, "BRA")
        report_in(world, brazilian, tlp=TLP.GREEN, scope=Scope.ALL_MEMBERS)
        network_in(world, brazilian, tlp=TLP.GREEN, scope=Scope.ALL_MEMBERS)
        submit(world, brazilian)
        return reverse(name)

    return url


test_report_export_stix = permission_matrix(
    "documentation:report_export_stix",
    url=with_records("documentation:report_export_stix"),
    expect=MEMBERS,
    default=200,
)
test_network_export_stix = permission_matrix(
    "documentation:network_export_stix",
    url=with_records("documentation:network_export_stix"),
    expect=MEMBERS,
    default=200,
)
test_api_threat_report_stix = permission_matrix(
    "documentation-threat-report-stix",
    url=with_records("documentation-threat-report-stix"),
    expect=API,
    default=200,
)
test_api_network_stix = permission_matrix(
    "documentation-network-stix",
    url=with_records("documentation-network-stix"),
    expect=API,
    default=200,
)
