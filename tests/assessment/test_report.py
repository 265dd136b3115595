"""The assessment report: sections, marking on every page, public versus restricted, four languages,
the PDF and its cache, downloads audited, the API, and who may read which report."""

from __future__ import annotations

import re
import zlib
from typing import Any
from urllib.parse import unquote

import pytest
from django.urls import reverse

from ceiba.assessment import report, report_charts
from ceiba.assessment.demo import load_assessment_demo
from ceiba.assessment.models import AssessmentRun
from ceiba.common.models import AuditAction, AuditEvent
from ceiba.common.testing.permissions import permission_matrix
from ceiba.documentation.models import CriminalNetwork

from ..conftest import sign_in
from .run_factories import restricted_run

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 cached for the test\n%%EOF\n"


@pytest.fixture(autouse=True)
def _report_cache(settings: Any, tmp_path: Any) -> None:
    """Cached PDFs go to a temporary folder (never the repository's var/)."""
    settings.CEIBA_REPORT_CACHE_DIR = str(tmp_path / "reports")


STUB_MAP = (
    '<svg class="chart-stub" width="10" height="10">'
    '<path aria-label="076" aria-roledescription="geoshape" fill="#e4e7e6" d="M0,0L9,9Z"/>'
    '<path aria-label="659" aria-roledescription="circle" fill="#e4e7e6" d="M0,0L1,1Z"/>'
    "</svg>"
)


@pytest.fixture
def flat_svg(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tiny base map: the tests of the print template need the markup, not the drawing."""
    monkeypatch.setattr(report_charts, "base_map_svg", lambda: STUB_MAP)


def pdf_pages(pdf: bytes) -> int:
    """The number of page objects in a PDF, looking into its compressed object streams too."""
    text = pdf
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, flags=re.S):
        try:
            text += zlib.decompress(stream)
        except zlib.error:
            continue
    return len(re.findall(rb"/Type\s*/Page\b", text))


def demo_run(audience: str) -> AssessmentRun:
    load_assessment_demo(samples=50)
    return AssessmentRun.objects.get(cycle__name__startswith="IDEAL 2025", audience=audience)


def cached(run: AssessmentRun, language: str = "en") -> AssessmentRun:
    """Put a PDF for `run` into the cache, so a request does not render one."""
    path = report.cached_pdf_path(run, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FAKE_PDF)
    return run


# --------------------------------------------------------------------------------------------------
# The page


def test_the_html_report_has_every_section(client: Any, assessment: Any) -> None:
    run = assessment.restricted
    sign_in(client, assessment.secretariat)
    response = client.get(reverse("assessment:report", args=[run.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for section in (
        "report-title",
        "report-summary",
        "report-priorities",
        "report-networks",
        "report-methodology",
    ):
        assert f'id="{section}"' in html
    for area in run.results["areas"]:
        assert f'id="area-{area}"' in html
    assert "Executive summary" in html and "Methodology annex" in html and "Network landscape" in html
    assert html.count("TLP:AMBER") >= 3  # title page and the banners above and below
    assert run.input_hash in html and run.code_version in html
    # Charts: specs in JSON blocks (no inline script), drawn by the static charts.js.
    assert 'type="application/json"' in html and "ceiba/js/charts.js" in html
    assert "americas-50m.json" in html
    assert "<script>" not in html
    # Rationales as edited; networks counted, never named.
    first = run.priorities.order_by("rank").first()
    assert first.rationale.split(".")[0] in html
    pks = [r["pk"] for r in run.inputs["records"].values() if r["model"] == "network"]
    for alias in CriminalNetwork.objects.filter(pk__in=pks).values_list("alias", flat=True):
        assert alias not in html


def test_the_public_report_shows_only_the_public_run(client: Any, assessment: Any) -> None:
    public, restricted = assessment.public, assessment.restricted
    response = client.get(reverse("assessment:report", args=[public.pk]))  # anonymous: published
    assert response.status_code == 200
    html = response.content.decode()
    assert "TLP:CLEAR" in html and "TLP:AMBER" not in html
    assert f"{public.counts['networks']} criminal networks" in html
    assert f"{restricted.counts['networks']} criminal networks" not in html
    assert f"{public.counts['reports']} threat reports" in html
    assert public.input_hash in html and restricted.input_hash not in html
    # The restricted run's statistics (datasets not for everyone) are not in the public report.
    assert not public.inputs["statistics"] and restricted.inputs["statistics"]
    assert "hold no statistics for this crime area" in html


def test_anonymous_visitors_sign_in_for_a_restricted_report(client: Any, assessment: Any) -> None:
    response = client.get(reverse("assessment:report", args=[assessment.restricted.pk]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Executive summary"),
        ("es", "Resumen ejecutivo"),
        ("pt", "Resumo executivo"),
        ("fr", "Synthèse"),
    ],
)
def test_four_languages(client: Any, assessment: Any, language: str, heading: str) -> None:
    response = client.get(reverse("assessment:report", args=[assessment.public.pk]), {"lang": language})
    html = response.content.decode()
    assert f"<h2>{heading}</h2>" in html
    assert f'<article class="report" lang="{language}">' in html
    assert response["Content-Language"] == language


# --------------------------------------------------------------------------------------------------
# The print version and the PDF


def test_the_print_version_marks_every_page(assessment: Any, flat_svg: None) -> None:
    html = report.render_print_html(assessment.restricted, "en")
    assert re.search(r'@top-center \{ content: "TLP:AMBER";', html)
    assert "counter(page)" in html and "counter(pages)" in html
    assert "Recipients may share it within their organisation" in html  # the marking's handling
    # Each map is an <img> of the recoloured base map as a data URI (one replaced element to draw).
    sources = re.findall(r'<img class="report-map-image" src="([^"]*)" alt="[^"]+">', html)
    assert len(sources) == len(assessment.restricted.results["areas"]) + 1
    assert all(unquote(s).startswith('data:image/svg+xml,<svg role="img"') for s in sources)
    assert all('class="chart-stub"' in unquote(s) for s in sources)
    assert 'class="report-bar"' in html  # the bars, drawn in the states tables
    title_page = html[html.index('id="report-title"') : html.index('id="report-summary"')]
    assert "TLP:AMBER" in title_page and assessment.restricted.input_hash in title_page
    public = report.render_print_html(assessment.public, "fr")
    assert '@top-center { content: "TLP:CLEAR";' in public and "<h2>Synthèse</h2>" in public


def test_print_charts_carry_their_map_inline(assessment: Any) -> None:
    with report.translation.override("en"):
        context = report.report_context(assessment.restricted, inline_geometry=True)
    spec = context["chapters"][0]["map_spec"]
    for layer in spec["layer"]:
        assert "url" not in layer["data"]
    assert spec["layer"][0]["data"]["values"]["objects"]["countries"]["geometries"]
    # Small island states are drawn as circles too.
    assert {m["id"] for m in spec["layer"][2]["data"]["values"]} >= {"659", "028", "052"}
    # The print map: the base map converted once (TopoJSON inline), recoloured from the scores.
    base = report_charts.base_map_spec()
    assert "values" in base["layer"][0]["data"] and "url" not in base["layer"][0]["data"]
    svg = report_charts.print_map({"076": 1.0, "659": 0.0}, "Map")
    assert re.search(r'aria-label="076" fill="#440154"', svg)  # high score: dark
    assert re.search(r'aria-label="659" fill="#fde725"[^>]*aria-roledescription="circle"', svg)
    assert 'aria-label="052"' in svg and not re.search(r'aria-label="052"[^>]*"circle"', svg)
    uri = report_charts.data_uri(svg)
    assert unquote(uri) == f"data:image/svg+xml,{svg}" and not set('"<>&#') & set(uri)


def test_print_map_paths_are_simplified_within_the_tolerance() -> None:
    # A square with points along its edges, a closed ring, and a speck of an island.
    edge = "".join(f"L{x},0.1" for x in range(1, 10))
    data = f"M0,0{edge}L10,0L10,10L0,10ZM50,50L50.2,50L50.2,50.2Z"
    simplified = report_charts.simplify_path(data, 0.4, 0.5)
    assert simplified == "M0.0,0.0L10.0,0.0L10.0,10.0L0.0,10.0Z"  # the speck and the edge points dropped
    # A path of one speck keeps it (a country is never left out); other commands pass unchanged.
    assert report_charts.simplify_path("M1,1L1.2,1Z", 0.4, 0.5) == "M1.0,1.0L1.2,1.0Z"
    assert report_charts.simplify_path("M0,0h330v390h-330Z") == "M0,0h330v390h-330Z"
    assert report_charts.simplify_path("M0,0L5,0A2,2 0 0 1 5,5Z") == "M0,0L5,0A2,2 0 0 1 5,5Z"


def test_the_pdf_is_rendered_cached_and_attached(client: Any, assessment: Any) -> None:
    """One real rendering (slow): the public run's PDF, then the same bytes from the cache."""
    run = assessment.public
    url = reverse("assessment:report_pdf", args=[run.pk])
    response = client.get(url, {"lang": "es"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="ceiba-assessment-run-{run.pk}-es.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) > 1
    assert report.cached_pdf_path(run, "es").read_bytes() == pdf
    assert client.get(url, {"lang": "es"}).content == pdf
    # Public downloads are not exports of restricted data.
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(run.pk)).exists()


def test_a_restricted_download_is_audited(client: Any, assessment: Any) -> None:
    run = cached(assessment.restricted)
    sign_in(client, assessment.secretariat)
    response = client.get(reverse("assessment:report_pdf", args=[run.pk]), {"lang": "en"})
    assert response.content == FAKE_PDF
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert event.object_id == str(run.pk) and event.changes["marking"] == "amber"


def test_the_cache_follows_edited_rationales(assessment: Any) -> None:
    run = assessment.restricted
    before = report.cached_pdf_path(run, "en")
    priority = run.priorities.order_by("rank").first()
    priority.rationale = "Edited by the secretariat."
    priority.save(update_fields=["rationale"])
    assert report.cached_pdf_path(run, "en") != before
    assert report.cached_pdf_path(run, "fr") != report.cached_pdf_path(run, "en")


# --------------------------------------------------------------------------------------------------
# The API


def test_api_report_files(client: Any, assessment: Any, flat_svg: None) -> None:
    url = reverse("assessment-run-report", args=[assessment.public.pk])
    cached(assessment.public, "pt")
    response = client.get(url, {"format": "pdf", "lang": "pt"})
    assert response.status_code == 200 and response.content == FAKE_PDF
    assert response["Content-Disposition"].endswith('-pt.pdf"')
    response = client.get(url, {"format": "html", "lang": "fr"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "<h2>Synthèse</h2>" in response.content.decode() and "TLP:CLEAR" in response.content.decode()
    assert client.get(url, {"format": "docx"}).status_code == 400
    assert client.get(url, {"lang": "de"}).status_code == 400
    restricted = reverse("assessment-run-report", args=[assessment.restricted.pk])
    assert client.get(restricted).status_code == 401


def test_a_composite_index_run_has_no_report(client: Any, assessment: Any) -> None:
    run = AssessmentRun.objects.filter(kind="table").first()
    if run is None:
        pytest.skip("the demo has no composite-index run")
    sign_in(client, assessment.secretariat)
    assert client.get(reverse("assessment:report", args=[run.pk])).status_code == 404


# --------------------------------------------------------------------------------------------------
# Who may read which report (the restricted run is TLP:AMBER: secretariat and committee delegates)

RESTRICTED_READERS = {
    "secretariat_admin": 200,
    "secretariat_analyst": 200,
    "committee_delegate@other_state": 200,
}

test_report_page = permission_matrix(
    "assessment:report",
    url=lambda w: reverse("assessment:report", args=[restricted_run(w).pk]),
    expect={"anonymous": 302, **RESTRICTED_READERS},
    default=404,
)
test_report_pdf = permission_matrix(
    "assessment:report_pdf",
    url=lambda w: reverse("assessment:report_pdf", args=[cached(restricted_run(w)).pk]) + "?lang=en",
    expect={"anonymous": 302, **RESTRICTED_READERS},
    default=404,
)
test_report_api = permission_matrix(
    "assessment-run-report",
    url=lambda w: (
        reverse("assessment-run-report", args=[cached(restricted_run(w)).pk]) + "?format=pdf&lang=en"
    ),
    expect={"anonymous": 401, **RESTRICTED_READERS},
    default=404,
)
