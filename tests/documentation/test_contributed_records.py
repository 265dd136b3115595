"""What every contributed record checks (`ContributedRecord.clean`): its originator belongs to the
contributing state, and every field's error is reported at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ceiba.core.models import Organisation

from .entity_factories import entity_in
from .factories import contribution_for, network_in, open_cycle, report_in
from .test_statistics import dataset_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make", [report_in, network_in, entity_in, dataset_in], ids=["report", "network", "entity", "dataset"]
)
def test_the_originator_belongs_to_the_contributing_state(world, make) -> None:
    record = make(world, contribution_for(world, open_cycle(world), "ARG"))
    record.full_clean()
    record.originator = Organisation.objects.filter(state__iso3="BRA").first()
    with pytest.raises(ValidationError) as raised:
        record.full_clean()
    assert raised.value.message_dict["originator"] == [
        "The originator must be an organisation of the contributing state."
    ]


def test_a_threat_report_names_every_problem_at_once(world) -> None:
    report = report_in(world, contribution_for(world, open_cycle(world), "ARG"))
    report.originator = Organisation.objects.filter(state__iso3="BRA").first()
    report.period_start = dt.date(2024, 6, 1)
    report.period_end = dt.date(2024, 1, 1)
    report.enablers = ["not-an-enabler"]
    report.title = ""
    with pytest.raises(ValidationError) as raised:
        report.full_clean()
    assert {"originator", "period_end", "enablers", "title"} <= set(raised.value.message_dict)
