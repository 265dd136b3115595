"""The originator's page to widen or narrow who receives a criminal network profile after it is
submitted (the threat report has the same page in `views.report_dissemination`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .forms import DisseminationForm
from .models import CriminalNetwork
from .views import _for_change, dissemination_page, members_only


class NetworkDisseminationForm(DisseminationForm):
    """Marking, handling and recipients of a network profile (the originator's choice)."""

    class Meta(DisseminationForm.Meta):
        model = CriminalNetwork  # type: ignore[assignment]


@members_only
def network_dissemination(request: HttpRequest, pk: int) -> HttpResponse:
    """The originator (its focal point; its analysts while drafting) widens or narrows who receives
    a network profile, at any time. Others who see the profile get 403, the rest 404."""
    network = _for_change(CriminalNetwork, request.user, pk=pk)
    return dissemination_page(
        request,
        network,
        NetworkDisseminationForm,
        title=network.alias,
        detail="documentation:network_detail",
        changed=_("The dissemination of the network profile was changed."),
    )
