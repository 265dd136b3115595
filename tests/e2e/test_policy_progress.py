"""Progress in the browser: AMERIPOL's action leader files a report for an action it leads, uploads a
CSV with a bad row (row-level errors, nothing saved) and then a good one, and reads the plan's dashboard
with its Gantt chart and the overdue reports highlighted (also on a 390 px phone)."""

from __future__ import annotations

import pytest

from .test_browser import sign_in
from .test_policy_committee import english_page

pytestmark = pytest.mark.e2e

LEADER = "action.leader@demo.ceiba.example"


def test_the_action_leader_reports_progress_uploads_a_csv_and_reads_the_dashboard(
    live_server,
    browser,
    policy_demo,
    shoot,
    tmp_path,
) -> None:
    from ceiba.core.models import Organisation
    from ceiba.policy.models import OperationalAction, ProgressReport

    ameripol = Organisation.objects.get(acronym="AMERIPOL")
    led = OperationalAction.objects.filter(leader_organisation=ameripol).exclude(status="cancelled")
    action = led.filter(kpis__isnull=False).order_by("code").first()
    assert action is not None
    kpi = action.kpis.order_by("code").first()
    base = live_server.url
    context, page, errors = english_page(browser)
    context.set_default_timeout(10_000)
    sign_in(page, base, LEADER)
    with page.expect_navigation():
        page.select_option("#language-select", "en")

    page.goto(f"{base}/policy/progress/my-actions/")
    assert page.locator("tr.overdue").count() >= 1
    shoot(page, "policy-my-actions-en")
    page.goto(f"{base}/policy/actions/{action.pk}/progress/new/")
    page.fill("[name=period_start]", "2026-07-01")
    page.fill("[name=period_end]", "2026-09-30")
    page.select_option("[name=status]", "ongoing")
    page.fill("[name=progress]", "55")
    page.fill("[name=narrative]", "Two joint operations held; one more planned (synthetic).")
    page.fill(f"[name=kpi_{kpi.pk}]", "12")
    shoot(page, "policy-progress-form-en")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    assert "Progress report filed." in page.locator(".messages").inner_text()
    shoot(page, "policy-progress-report-en")

    before = ProgressReport.objects.count()
    header = "action_code,period_start,period_end,status,progress,narrative,kpi_code,kpi_value,kpi_unit\n"
    good = f"{action.code},2026-10-01,2026-12-31,ongoing,70,Training held (synthetic).,{kpi.code},20,"
    good += f"{kpi.unit}\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + good + "OA-NOPE,2026-10-01,2026-12-31,finished,70,Unknown (synthetic).,,,\n")
    page.goto(f"{base}/policy/progress/import/")
    page.set_input_files("[name=file]", str(bad))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state("load")
    issues = page.locator("#progress-issues")
    assert "in the file" in issues.locator("h2").inner_text()
    rows = issues.locator("tbody tr").all_inner_texts()
    assert rows and all(row.startswith("3\t") for row in rows), rows
    assert ProgressReport.objects.count() == before
    shoot(page, "policy-progress-import-errors-en")

    right = tmp_path / "good.csv"
    right.write_text(header + good)
    page.set_input_files("[name=file]", str(right))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state("load")
    assert page.locator("#progress-issues").count() == 0
    assert ProgressReport.objects.count() == before + 1

    page.goto(f"{base}/policy/plans/{action.plan_id}/progress/")
    assert page.locator("figure.gantt svg rect.gantt-bar").count() >= 1
    assert page.locator("div.overdue").count() == 1
    assert page.locator("figure.gantt rect.gantt-overdue").count() >= 1
    assert action.code in page.locator("figure.gantt .gantt-labels").inner_text()
    shoot(page, "policy-dashboard-en")
    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(page.url)
    shoot(phone, "policy-dashboard-phone-en")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert not errors, errors
    context.close()
