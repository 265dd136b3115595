"""Threat-report attachments through the API: list and upload (multipart, field `file`) under
the report, metadata and removal of one attachment, and its download (same checks and headers as
the page's download: access policy, audit, `attachment`, nosniff)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ceiba.common.access import Action, NotShared, access_object, restrict
from ceiba.documentation.attachment_services import (
    report_attachment_add,
    report_attachment_downloaded,
    report_attachment_remove,
)
from ceiba.documentation.attachment_views import attachment_response
from ceiba.documentation.models import ReportAttachment, ThreatReport

from .attachment_serializers import ReportAttachmentSerializer


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


def _for_change(source: Any, user: Any, **lookup: Any) -> Any:
    try:
        return access_object(source, user, Action.CHANGE, **lookup)
    except NotShared:
        if restrict(source, user, Action.VIEW).filter(**lookup).exists():
            raise PermissionDenied from None
        raise


class ReportAttachmentsAPIView(APIView):
    """The attachments of a threat report shared with the caller; POST attaches a file (the
    originator, while the report's contribution is editable)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=ReportAttachmentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        report = access_object(ThreatReport, request.user, Action.VIEW, pk=pk)
        rows = ReportAttachment.objects.filter(report=report)
        return Response(ReportAttachmentSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(request=AttachmentUploadSerializer, responses=ReportAttachmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        report = _for_change(ThreatReport.objects.select_related("contribution"), request.user, pk=pk)
        upload = AttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        attachment = report_attachment_add(
            report=report, actor=request.user, upload=upload.validated_data["file"]
        )
        data = ReportAttachmentSerializer(attachment, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class AttachmentAPIView(APIView):
    """One attachment's metadata; DELETE removes it (the originator, while editable)."""

    @extend_schema(responses=ReportAttachmentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        attachment = access_object(ReportAttachment, request.user, Action.VIEW, pk=pk)
        return Response(ReportAttachmentSerializer(attachment, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        attachment = _for_change(
            ReportAttachment.objects.select_related("report__contribution"), request.user, pk=pk
        )
        report_attachment_remove(attachment=attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentDownloadAPIView(APIView):
    """The file itself, as an attachment (audited)."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> FileResponse:
        attachment = access_object(
            ReportAttachment.objects.select_related("report"), request.user, Action.VIEW, pk=pk
        )
        report_attachment_downloaded(attachment=attachment, actor=request.user)
        return attachment_response(attachment)
