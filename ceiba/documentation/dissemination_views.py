"""The originator's page to widen or narrow who receives a criminal network profile after it is
submitted (the threat report has the same page in `views.report_dissemination`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ceiba.sharing.services import shared_record_set_dissemination

from .forms import DisseminationForm
from .models import CriminalNetwork
from .views import _apply_validation_error, _for_change, members_only


class NetworkDisseminationForm(DisseminationForm):
    """Marking, handling and recipients of a network profile (the originator's choice)."""

    class Meta(DisseminationForm.Meta):
        model = CriminalNetwork  # type: ignore[assignment]


@members_only
def network_dissemination(request: HttpRequest, pk: int) -> HttpResponse:
    """The originator (its focal point; its analysts while drafting) widens or narrows who receives
    a network profile, at any time. Others who see the profile get 403, the rest 404."""
    network = _for_change(CriminalNetwork, request.user, pk=pk)
    form = NetworkDisseminationForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        try:
            shared_record_set_dissemination(record=network, actor=request.user, **form.dissemination())
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("The dissemination of the network profile was changed."))
            return redirect("documentation:network_detail", pk=network.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Dissemination: %(title)s") % {"title": network.alias},
            "cancel": reverse("documentation:network_detail", args=[network.pk]),
        },
        status=400 if form.errors else 200,
    )
