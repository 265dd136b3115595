"""How an attachment appears in the API (in a threat report's detail and the attachment endpoints)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from ceiba.documentation.models import ReportAttachment


class ReportAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj: ReportAttachment) -> str:
        path = reverse("documentation-attachment-download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
