"""Pages of threat-report attachments: upload (and its form), removal, and the only way a file
leaves Ceiba: the download view, which goes through the access policy (404 otherwise), audits the
download and sends the file as an attachment that browsers must not sniff or render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ceiba.common.access import Action, access_object

from .attachment_services import (
    attachment_errors,
    max_attachment_bytes,
    report_attachment_add,
    report_attachment_downloaded,
    report_attachment_remove,
    safe_file_name,
)
from .models import ReportAttachment, ThreatReport
from .views import _apply_validation_error, _for_change, members_only


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        _type, errors = attachment_errors(upload)
        if errors:
            raise ValidationError(errors)
        return upload


def attachment_response(attachment: ReportAttachment) -> FileResponse:
    """The stored bytes as a download: `Content-Disposition: attachment` with the sanitised name,
    the detected type, nosniff, and no caching by shared proxies."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=safe_file_name(attachment.original_name),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@members_only
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = _for_change(ThreatReport.objects.select_related("contribution"), request.user, pk=pk)
    cancel = reverse("documentation:report_detail", args=[report.pk])
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_attachment_add(report=report, actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("The file was attached to the report."))
            return redirect(cancel)
    return render(
        request,
        "documentation/attachment_form.html",
        {"form": form, "report": report, "cancel": cancel, "max_bytes": max_attachment_bytes()},
        status=400 if form.errors else 200,
    )


@members_only
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = access_object(
        ReportAttachment.objects.select_related("report"), request.user, Action.VIEW, pk=pk
    )
    report_attachment_downloaded(attachment=attachment, actor=request.user)
    return attachment_response(attachment)


@members_only
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _for_change(
        ReportAttachment.objects.select_related("report__contribution"), request.user, pk=pk
    )
    try:
        report_attachment_remove(attachment=attachment, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("The attachment was removed."))
    return redirect("documentation:report_detail", pk=attachment.report_id)
