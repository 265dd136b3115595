"""Attachments on threat reports: permission matrices for every page and endpoint; they follow the
report's policy (404 for who may not see it, refused to those who may not change it); type read
from the bytes, size limit and clear form errors; downloads audited and sent with safe headers."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from ceiba.common.models import AuditEvent
from ceiba.common.testing.permissions import permission_matrix
from ceiba.documentation import filetypes
from ceiba.documentation.attachment_services import report_attachment_add, safe_file_name
from ceiba.documentation.models import ReportAttachment, ThreatReport
from ceiba.sharing.choices import TLP, Scope

from .factories import DRAFTERS, contribution_for, open_cycle, report_in, submit

PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ARG_DRAFTERS = {"national_focal_point": 200, "national_analyst": 200}


def upload(name: str = "seizures.pdf", content: bytes = PDF_BYTES, claimed: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=claimed)


def office(*names: str, mimetype: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype)
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def attach(world, report: ThreatReport, **kwargs) -> ReportAttachment:
    analyst, _focal = DRAFTERS[report.contribution.state.iso3]
    return report_attachment_add(report=report, actor=world.users[analyst], upload=upload(**kwargs))


def argentine_draft(world) -> ThreatReport:
    return report_in(world, contribution_for(world, open_cycle(world), "ARG"), tlp=TLP.AMBER)


def argentine_attachment(world) -> ReportAttachment:
    return attach(world, argentine_draft(world))


def brazilian_attachment(world, tlp: str = TLP.GREEN, scope: str = Scope.ALL_MEMBERS) -> ReportAttachment:
    contribution = contribution_for(world, open_cycle(world), "BRA")
    report = report_in(world, contribution, tlp=tlp, scope=scope)
    attachment = attach(world, report)
    submit(world, contribution)
    return attachment


SEEN_BY_MEMBERS = {"anonymous": 302, "forum_participant": 403, "action_participant": 404}
API_SEEN_BY_MEMBERS = {"anonymous": 401, "forum_participant": 404, "action_participant": 404}

test_attachment_add = permission_matrix(
    "documentation:attachment_add",
    url=lambda w: reverse("documentation:attachment_add", args=[argentine_draft(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_attachment_download = permission_matrix(
    "documentation:attachment_download",
    url=lambda w: reverse("documentation:attachment_download", args=[brazilian_attachment(w).pk]),
    expect=SEEN_BY_MEMBERS,
    default=200,
)
test_attachment_remove = permission_matrix(
    "documentation:attachment_remove",
    url=lambda w: reverse("documentation:attachment_remove", args=[argentine_attachment(w).pk]),
    method="post",
    expect={"anonymous": 302, "forum_participant": 403, "national_focal_point": 302, "national_analyst": 302},
    default=404,
)
test_api_report_attachments = permission_matrix(
    "documentation-threat-report-attachments",
    url=lambda w: reverse(
        "documentation-threat-report-attachments", args=[brazilian_attachment(w).report_id]
    ),
    expect=API_SEEN_BY_MEMBERS,
    default=200,
)
test_api_report_attachment_upload = permission_matrix(
    "documentation-threat-report-attachments:post",
    url=lambda w: reverse("documentation-threat-report-attachments", args=[argentine_draft(w).pk]),
    method="post",
    data=lambda w: {"file": upload()},
    expect={"anonymous": 401, "national_focal_point": 201, "national_analyst": 201},
    default=404,
)
test_api_attachment = permission_matrix(
    "documentation-attachment",
    url=lambda w: reverse("documentation-attachment", args=[brazilian_attachment(w).pk]),
    expect=API_SEEN_BY_MEMBERS,
    default=200,
)
test_api_attachment_delete = permission_matrix(
    "documentation-attachment:delete",
    url=lambda w: reverse("documentation-attachment", args=[argentine_attachment(w).pk]),
    method="delete",
    expect={"anonymous": 401, "national_focal_point": 204, "national_analyst": 204},
    default=404,
)
test_api_attachment_download = permission_matrix(
    "documentation-attachment-download",
    url=lambda w: reverse("documentation-attachment-download", args=[brazilian_attachment(w).pk]),
    expect=API_SEEN_BY_MEMBERS,
    default=200,
)


# --- behaviour ---------------------------------------------------------------------------------------


def test_upload_from_the_report_page_is_listed_hashed_and_audited(world, persona_client):
    report = argentine_draft(world)
    client = persona_client("national_analyst")
    page = client.get(reverse("documentation:report_detail", args=[report.pk])).content.decode()
    add = reverse("documentation:attachment_add", args=[report.pk])
    assert add in page
    response = client.post(add, {"file": upload("Incautaciones 2025.pdf", claimed="text/html")})
    assert response.status_code == 302
    attachment = ReportAttachment.objects.get(report=report)
    assert attachment.content_type == "application/pdf"  # from the bytes, not the browser's claim
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert attachment.size == len(PDF_BYTES) and attachment.original_name == "Incautaciones 2025.pdf"
    assert "Incautaciones 2025" not in attachment.file.name  # the stored path reveals nothing
    assert AuditEvent.objects.filter(
        action="create", object_type="documentation.reportattachment", object_id=str(attachment.pk)
    ).exists()
    page = client.get(reverse("documentation:report_detail", args=[report.pk])).content.decode()
    assert "Incautaciones 2025.pdf" in page
    assert reverse("documentation:attachment_download", args=[attachment.pk]) in page
    assert reverse("documentation:attachment_remove", args=[attachment.pk]) in page


def test_download_sends_safe_headers_and_is_audited(world, persona_client):
    attachment = brazilian_attachment(world)
    attachment.original_name = 'evil"\r\nX-Injected: 1.pdf'
    attachment.save()
    url = reverse("documentation:attachment_download", args=[attachment.pk])
    response = persona_client("national_analyst").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert "X-Injected" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    event = AuditEvent.objects.get(action="export", object_id=str(attachment.pk))
    assert event.actor == world.users["national_analyst"]


def test_a_non_ascii_name_is_encoded_for_the_header(world, persona_client):
    attachment = brazilian_attachment(world)
    attachment.original_name = "Relatório ação.pdf"
    attachment.save()
    response = persona_client("national_analyst").get(
        reverse("documentation:attachment_download", args=[attachment.pk])
    )
    assert "filename*=utf-8''Relat%C3%B3rio%20a%C3%A7%C3%A3o.pdf" in response["Content-Disposition"]


def test_downloads_of_a_hidden_report_answer_404_and_are_audited_as_denied(world, persona_client):
    attachment = brazilian_attachment(world, tlp=TLP.AMBER, scope=Scope.ORIGINATOR)
    for persona in ("national_analyst", "secretariat_admin", "committee_delegate@other_state"):
        url = reverse("documentation:attachment_download", args=[attachment.pk])
        assert persona_client(persona).get(url).status_code == 404
        api = reverse("documentation-attachment-download", args=[attachment.pk])
        assert persona_client(persona).get(api).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="documentation.reportattachment").exists()
    assert not AuditEvent.objects.filter(action="export").exists()
    # The report's API detail lists no attachment for them either (the report itself is 404).
    detail = reverse("documentation-threat-report-detail", args=[attachment.report_id])
    assert persona_client("national_analyst").get(detail).status_code == 404


def test_the_report_api_lists_attachments(world, persona_client):
    attachment = brazilian_attachment(world)
    detail = reverse("documentation-threat-report-detail", args=[attachment.report_id])
    rows = persona_client("national_analyst").get(detail).json()["attachments"]
    assert [(r["id"], r["original_name"], r["content_type"]) for r in rows] == [
        (attachment.pk, "seizures.pdf", "application/pdf")
    ]
    assert rows[0]["download_url"].endswith(
        reverse("documentation-attachment-download", args=[attachment.pk])
    )


REFUSED = [
    ("page.html", b"<html><script>alert(1)</script></html>", "not match"),
    ("run.exe", b"MZ\x90\x00\x03\x00\x00\x00", "not accepted"),
    ("image.png", PDF_BYTES, "does not match"),
    ("fake.pdf", b"\x00\x01\x02 binary junk", "not accepted"),
    ("archive.docx", office("random.txt"), "not accepted"),
    ("empty.txt", b"", "empty"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_refused_types_get_a_clear_form_error(world, persona_client, name, content, message):
    report = argentine_draft(world)
    response = persona_client("national_analyst").post(
        reverse("documentation:attachment_add", args=[report.pk]),
        {"file": upload(name, content, claimed="application/pdf")},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportAttachment.objects.exists()


@override_settings(CEIBA_ATTACHMENT_MAX_BYTES=100)
def test_files_over_the_limit_are_refused_on_the_page_and_the_api(world, persona_client):
    report = argentine_draft(world)
    client = persona_client("national_analyst")
    big = PDF_BYTES + b"0" * 200
    page = client.post(
        reverse("documentation:attachment_add", args=[report.pk]),
        {"file": upload(content=big)},
        headers={"accept-language": "en"},
    )
    assert page.status_code == 400 and "too large" in page.content.decode()
    api = client.post(
        reverse("documentation-threat-report-attachments", args=[report.pk]), {"file": upload(content=big)}
    )
    assert api.status_code == 400
    assert not ReportAttachment.objects.exists()


def test_accepted_types_are_detected_from_content():
    cases = {
        ("a.pdf", PDF_BYTES): filetypes.PDF,
        ("a.png", PNG_BYTES): filetypes.PNG,
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20): filetypes.JPEG,
        ("a.csv", "país;cantidad\nPerú;3\n".encode()): filetypes.CSV,
        ("a.txt", "Notas en español: ñandú\n".encode("cp1252")): filetypes.TEXT,
        ("a.docx", office("[Content_Types].xml", "word/document.xml")): filetypes.DOCX,
        ("a.xlsx", office("[Content_Types].xml", "xl/workbook.xml")): filetypes.XLSX,
        ("a.odt", office("content.xml", mimetype=b"application/vnd.oasis.opendocument.text")): filetypes.ODT,
    }
    for (name, content), expected in cases.items():
        assert filetypes.detect(io.BytesIO(content), name) == expected, name


def test_file_names_are_made_safe():
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("C:\\Users\\x\\informe.pdf") == "informe.pdf"
    assert safe_file_name('a"b;c\r\n.pdf') == "a_b_c.pdf"
    assert safe_file_name("", filetypes.PDF) == "attachment.pdf"
    assert len(safe_file_name("x" * 400 + ".pdf")) <= 150


def test_attachments_freeze_with_the_submitted_report(world, persona_client):
    attachment = brazilian_attachment(world)
    focal = persona_client("national_focal_point@other_state")
    response = focal.post(
        reverse("documentation:attachment_add", args=[attachment.report_id]),
        {"file": upload()},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400 and "submitted" in response.content.decode()
    removed = focal.post(reverse("documentation:attachment_remove", args=[attachment.pk]))
    assert removed.status_code == 302
    assert ReportAttachment.objects.filter(pk=attachment.pk).exists()
    # Others who see the report cannot change its attachments.
    analyst = persona_client("national_analyst")
    assert analyst.post(reverse("documentation:attachment_remove", args=[attachment.pk])).status_code == 403


def test_removal_deletes_the_row_and_is_audited(world, persona_client):
    attachment = argentine_attachment(world)
    response = persona_client("national_focal_point").post(
        reverse("documentation:attachment_remove", args=[attachment.pk])
    )
    assert response.status_code == 302
    assert not ReportAttachment.objects.filter(pk=attachment.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="documentation.reportattachment").exists()


def test_deleting_a_report_deletes_its_attachment_files(world, django_capture_on_commit_callbacks):
    attachment = argentine_attachment(world)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        ThreatReport.objects.filter(pk=attachment.report_id).delete()
    assert not storage.exists(name)


def test_search_text_and_snippets_carry_no_markdown_markup():
    from ceiba.documentation.rendering import markdown_to_text

    assert markdown_to_text("## Summary\n\n**Bold** and [a link](https://example.org)") == (
        "Summary Bold and a link"
    )
