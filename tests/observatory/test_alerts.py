"""Alert rules of the secretariat, alerts raised by imports, and who sees them: the secretariat and
the state concerned at once, the public only after review."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ceiba.observatory import rules, services
from ceiba.observatory.choices import AlertStatus
from ceiba.observatory.models import Alert, AlertRule, Indicator

from .conftest import owid_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("percentile > 120", "nothing lies above the 100th"),
        ("yoy > -150%", "must be above -100 %"),
        ("homicides go up a lot", "is not a condition Ceiba understands"),
        ("", "Write a condition"),
    ],
)
def test_impossible_rules_are_refused_with_a_reason(expression: str, message: str) -> None:
    with pytest.raises(rules.RuleError, match=message):
        rules.parse_rule(expression)


def test_rules_are_parsed() -> None:
    assert rules.parse_rule("YoY >= 25 %") == rules.Rule("yoy", 25.0, True)
    assert rules.parse_rule("percentile > 90") == rules.Rule("percentile", 90.0, False)


def test_percentile_rule_trips_above_the_regional_percentile() -> None:
    series = {"A": {2022: 1.0}, "B": {2022: 2.0}, "C": {2022: 3.0}, "D": {2022: 50.0}}
    trips = rules.evaluate(rules.Rule("percentile", 75), series)
    assert [(t.country, t.year) for t in trips] == [("D", 2022)]


def test_the_rule_form_refuses_an_impossible_expression(indicators, persona_client) -> None:
    indicator = Indicator.objects.get(slug="homicide-rate")
    response = persona_client("secretariat_admin").post(
        reverse("observatory:alert_rules"),
        {"indicator": indicator.pk, "name": "Too high", "expression": "percentile > 120"},
    )
    assert response.status_code == 400
    assert "120 is impossible" in response.content.decode() or "120" in response.content.decode()
    assert not AlertRule.objects.exists()


def test_a_new_rule_checks_the_data_already_published(published, persona_client) -> None:
    indicator = Indicator.objects.get(slug="homicide-rate")
    response = persona_client("secretariat_admin").post(
        reverse("observatory:alert_rules"),
        {"indicator": indicator.pk, "name": "Highest in the region", "expression": "percentile > 75"},
    )
    assert response.status_code == 302
    assert [(a.state.iso3, a.year) for a in Alert.objects.all()] == [("JAM", 2022)]


@pytest.fixture
def pending_alert(published) -> Alert:
    services.alert_rule_create(
        indicator=Indicator.objects.get(slug="homicide-rate"), name="Sharp rise", expression="yoy > 20%"
    )
    services.release_import(
        source_format="owid", content=owid_file([["Argentina", "ARG", 2023, 6.0, ""]]), file_name="h.csv"
    )
    return Alert.objects.get(state__iso3="ARG", year=2023)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("anonymous", False),
        ("national_analyst", True),  # Argentina, the state concerned
        ("national_focal_point", True),
        ("national_analyst@other_state", False),
        ("forum_participant", False),
        ("secretariat_analyst", True),
    ],
)
def test_an_unreviewed_alert_is_seen_by_the_secretariat_and_the_state_concerned(
    pending_alert, persona_client, persona: str, sees: bool
) -> None:
    client = persona_client(persona)
    assert ("up 39.5 %" in client.get(reverse("observatory:alert_list")).content.decode()) is sees
    ids = [a["id"] for a in client.get("/api/v1/observatory/alerts/").json()["results"]]
    assert (pending_alert.pk in ids) is sees


def test_a_published_alert_is_public(pending_alert, persona_client) -> None:
    response = persona_client("secretariat_admin").post(
        reverse("observatory:alert_review", args=[pending_alert.pk]), {"decision": "publish"}
    )
    assert response.status_code == 302
    pending_alert.refresh_from_db()
    assert pending_alert.status == AlertStatus.PUBLISHED
    assert "up 39.5 %" in Client().get(reverse("observatory:home")).content.decode()
    assert Client().get("/api/v1/observatory/alerts/").json()["count"] == 1


def test_a_dismissed_alert_stays_private(pending_alert, persona_client) -> None:
    persona_client("secretariat_admin").post(
        reverse("observatory:alert_review", args=[pending_alert.pk]), {"decision": "dismiss"}
    )
    assert Client().get("/api/v1/observatory/alerts/").json()["count"] == 0


def test_a_national_analyst_cannot_publish_an_alert(pending_alert, persona_client) -> None:
    response = persona_client("national_analyst").post(
        reverse("observatory:alert_review", args=[pending_alert.pk]), {"decision": "publish"}
    )
    assert response.status_code == 403
    pending_alert.refresh_from_db()
    assert pending_alert.status == AlertStatus.PENDING
