"""Importing statistics in the browser: Argentina's analyst uploads a small CSV (synthetic) into the
draft contribution, checks the suggested column mapping, starts the import and watches the run page
(polled by htmx, no reload) go from queued to the summary; then a bad file shows its error report."""

from __future__ import annotations

import pytest

from .test_browser import sign_in

pytestmark = pytest.mark.e2e

CSV = (
    "Identificador,Fecha,País,Droga,Kilos,Notas\n"
    "E2E-1,2025-02-01,Argentina,cocaína,12.5,synthetic\n"
    "E2E-2,2025-02-03,ARG,cannabis,300,synthetic\n"
    "E2E-3,2025-03-09,AR,cocaína,1.25,synthetic\n"
)


@pytest.fixture
def documentation_demo(demo) -> None:
    from ceiba.documentation.demo import load_documentation_demo

    load_documentation_demo()


def test_upload_map_and_watch_an_import(live_server, browser, documentation_demo, shoot, settings, tmp_path):
    from ceiba.common.jobs import run_job
    from ceiba.documentation.models import Contribution, ImportRun, StatisticRow

    settings.CEIBA_IMPORT_DIR = tmp_path / "imports"
    # Jobs wait in the queue (as with `ceiba worker` not yet picking them up); the test runs it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    contribution = Contribution.objects.get(cycle__name="IDEAL 2026", state__iso3="ARG")
    upload = tmp_path / "seizures-es.csv"
    upload.write_text(CSV, encoding="utf-8")
    base = live_server.url

    context = browser.new_context(extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    sign_in(page, base, "analyst.arg@demo.ceiba.example")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.goto(f"{base}/documentation/contributions/{contribution.pk}/")
    page.get_by_role("link", name="Import a file").click()
    page.wait_for_load_state("load")
    page.select_option("select[name=kind]", "statistics")
    page.set_input_files("input[name=file]", str(upload))
    page.select_option("select[name=tlp]", "amber")
    page.select_option("select[name=scope]", "secretariat")
    page.select_option("select[name=source_reliability]", "B")
    page.select_option("select[name=information_credibility]", "2")
    shoot(page, "31-import-upload-en")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/mapping/")
    assert page.locator("select[name=column_0]").input_value() == "source_id"
    assert page.locator("select[name=column_2]").input_value() == "state"
    page.select_option("select[name=column_4]", "quantity")
    page.select_option("select[name=fixed_kind]", "seizure")
    page.select_option("select[name=fixed_unit]", "kg")
    shoot(page, "32-import-mapping-en")
    page.get_by_role("button", name="Start the import").click()
    page.wait_for_url("**/imports/*/")
    assert "Queued" in page.locator("#import-status").inner_text()
    shoot(page, "33-import-queued-en")

    run = ImportRun.objects.get(contribution=contribution, file_name="seizures-es.csv")
    url = page.url
    run_job.func(str(run.job_id))
    run.refresh_from_db()
    page.locator("#import-summary").wait_for(timeout=10000)  # htmx polling, no reload
    assert page.url == url
    assert page.locator("progress").get_attribute("value") == "100"
    assert "Imported" in page.locator("#import-status").inner_text()
    shoot(page, "34-import-summary-en")
    assert (
        StatisticRow.objects.filter(dataset__contribution=contribution, source_id__startswith="E2E-").count()
        == 3
    )

    page.get_by_role("link", name="See the dataset").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text().startswith("seizures-es.csv")
    page.goto(f"{base}/documentation/statistics/?dataset={run.summary['details']['dataset']}")
    assert "313.75" in page.locator("#statistic-totals").inner_text()
    shoot(page, "35-statistics-list-en")
    context.close()
