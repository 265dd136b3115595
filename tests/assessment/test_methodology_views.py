"""Methodology pages and API: public readable versions, the raw definition, the version history with
weight changes, and new versions by the secretariat administrator only — every problem of a bad
definition shown with its path and line, nothing stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ceiba.assessment import methodology_store, runs
from ceiba.assessment.methodology import MethodologyError, load_methodology
from ceiba.assessment.models import MethodologyVersion
from ceiba.common.testing.permissions import PERSONAS, permission_matrix
from tests.conftest import sign_in

from .composite_fixtures import (
    DEFAULT_YAML,
    WEIGHTED_CRIMINALITY,
    admin,
    default_version,
    next_default_text,
    small_table,
    small_version,
    weighted_run,
)

EVERYONE_200 = {p: 200 for p in PERSONAS}

test_methodology_list = permission_matrix(
    "assessment:methodology_list",
    url=lambda w: (default_version(), reverse("assessment:methodology_list"))[1],
    expect=EVERYONE_200,
)
test_methodology_detail = permission_matrix(
    "assessment:methodology_detail",
    url=lambda w: reverse("assessment:methodology_detail", args=[default_version().pk]),
    expect=EVERYONE_200,
)
test_methodology_download = permission_matrix(
    "assessment:methodology_download",
    url=lambda w: reverse("assessment:methodology_download", args=[default_version().pk]),
    expect=EVERYONE_200,
)
test_methodology_create = permission_matrix(
    "assessment:methodology_create",
    url=lambda w: reverse("assessment:methodology_create") + f"?from={default_version().pk}",
    expect={"anonymous": 302, "secretariat_admin": 200},
    default=403,
)
test_methodology_create_post = permission_matrix(
    "assessment:methodology_create:post",
    url=lambda w: reverse("assessment:methodology_create"),
    method="post",
    data=lambda w: {"definition": next_default_text(7), "change_note": "Test."},
    expect={"anonymous": 302, "secretariat_admin": 302},
    default=403,
)
test_api_methodologies = permission_matrix(
    "assessment-methodology-list",
    url=lambda w: (default_version(), reverse("assessment-methodology-list"))[1],
    expect=EVERYONE_200,
)
test_api_methodology_create = permission_matrix(
    "assessment-methodology-list:post",
    url=lambda w: reverse("assessment-methodology-list"),
    method="post",
    data=lambda w: {"definition": next_default_text(7), "change_note": "Test."},
    content_type="application/json",
    expect={"anonymous": 401, "secretariat_admin": 201},
    default=403,
)
test_api_methodology = permission_matrix(
    "assessment-methodology-detail",
    url=lambda w: reverse("assessment-methodology-detail", args=[default_version().pk]),
    expect=EVERYONE_200,
)


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


def zero_actor_weights(text: str) -> str:
    import re

    return re.sub(r"(\{code: [a-z_]+, weight: )[0-9.]+(, unknown: exclude\})", r"\g<1>0\2", text)


#: (what is wrong, the bad text, the issue's path, a fragment of its message)
BAD = [
    (
        "unknown indicator",
        next_default_text().replace("{code: longevity,", "{code: lifespan,"),
        "actor_indicators[10].code",
        "unknown network indicator",
    ),
    (
        "negative weight",
        next_default_text().replace("{code: violence, weight: 2,", "{code: violence, weight: -2,"),
        "actor_indicators[2].weight",
        "cannot be negative",
    ),
    ("all-zero weights", zero_actor_weights(next_default_text()), "actor_indicators", "cannot all be zero"),
    (
        "bands out of order",
        next_default_text().replace(
            "{code: high, label: High, threshold: 0.55}", "{code: high, label: High, threshold: 0.3}"
        ),
        "aggregation.network.bands[2].threshold",
        "increase strictly",
    ),
    (
        "formula referencing a missing group",
        next_default_text().replace(
            "resilience: mean(resilience_indicators)", "resilience: mean(resilience_groups)"
        ),
        "composite.formulas.resilience",
        "unknown group or formula 'resilience_groups'",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "text", "path", "message"), BAD, ids=[case for case, *_ in BAD])
def test_a_bad_definition_shows_every_issue_with_its_line_and_stores_nothing(
    client, world, case, text, path, message
) -> None:
    default_version()
    with pytest.raises(MethodologyError) as caught:
        load_methodology(text)
    issue = next(i for i in caught.value.issues if i.path == path)
    assert message in issue.message and issue.line is not None
    before = MethodologyVersion.objects.count()
    response = sign_in(client, admin()).post(
        reverse("assessment:methodology_create"), {"definition": text, "change_note": case}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing was stored" in page
    assert f"Line {issue.line}" in page and f"<code>{path}</code>" in page
    assert message.replace("'", "&#x27;") in page
    assert MethodologyVersion.objects.count() == before


@pytest.mark.django_db
def test_the_lines_are_those_of_the_text(client, world) -> None:
    text = next_default_text().replace("{code: violence, weight: 2,", "{code: violence, weight: -2,")
    with pytest.raises(MethodologyError) as caught:
        load_methodology(text)
    assert caught.value.issues[0].line == line_of(text, "{code: violence, weight: -2,")


@pytest.mark.django_db
def test_api_refuses_a_bad_definition_with_every_issue_and_its_line(client, world) -> None:
    default_version()
    text = zero_actor_weights(next_default_text()).replace("{code: longevity,", "{code: lifespan,")
    before = MethodologyVersion.objects.count()
    response = sign_in(client, admin()).post(
        reverse("assessment-methodology-list"), {"definition": text}, content_type="application/json"
    )
    assert response.status_code == 400
    issues = response.json()["issues"]
    assert {i["path"] for i in issues} >= {"actor_indicators[10].code", "actor_indicators"}
    assert all(i["line"] for i in issues)
    assert MethodologyVersion.objects.count() == before


@pytest.mark.django_db
def test_the_form_is_prefilled_with_the_next_version(client, world) -> None:
    version = default_version()
    response = sign_in(client, admin()).get(reverse("assessment:methodology_create") + f"?from={version.pk}")
    assert response.status_code == 200
    assert "version: 2\n" in response.context["form"].initial["definition"]
    assert "version: 1\n" not in response.context["form"].initial["definition"]


@pytest.mark.django_db
def test_a_new_version_is_stored_and_listed_with_its_weight_changes(client, world) -> None:
    default_version()
    text = next_default_text().replace("{code: violence, weight: 2,", "{code: violence, weight: 3,")
    response = sign_in(client, admin()).post(
        reverse("assessment:methodology_create"), {"definition": text, "change_note": "Violence weighs more."}
    )
    stored = MethodologyVersion.objects.get(code="ideal-ceiba", version=2)
    assert response.status_code == 302 and response.url == reverse(
        "assessment:methodology_detail", args=[stored.pk]
    )
    assert stored.created_by == admin() and stored.change_note == "Violence weighs more."
    page = client.get(response.url).content.decode()
    assert "Violence weighs more." in page
    assert "2 → 3" in page  # the weight diff against version 1


@pytest.mark.django_db
def test_an_existing_version_with_another_text_is_refused(client, world) -> None:
    default_version()
    text = DEFAULT_YAML.replace("{code: violence, weight: 2,", "{code: violence, weight: 3,")
    response = sign_in(client, admin()).post(
        reverse("assessment:methodology_create"), {"definition": text, "change_note": "In place."}
    )
    assert response.status_code == 200
    assert "already exists and is never changed" in response.content.decode()
    assert MethodologyVersion.objects.get(code="ideal-ceiba", version=1).definition == DEFAULT_YAML


@pytest.mark.django_db
def test_a_used_version_cannot_change_in_place(world) -> None:
    table = small_table()
    runs.run_table(methodology_version=table.methodology, table=table, user=admin())
    version = MethodologyVersion.objects.get(pk=table.methodology.pk)
    assert version.used
    version.definition = version.definition.replace("weight: 2", "weight: 3", 1)
    with pytest.raises(ValidationError):
        version.save()
    # An unused version may still be corrected (it has not produced any number yet).
    unused = default_version()
    assert not unused.used


@pytest.mark.django_db
def test_only_the_secretariat_administrator_saves_versions(world) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        methodology_store.save_version(next_default_text(), user=world.users["secretariat_analyst"])


@pytest.mark.django_db
def test_the_detail_page_reads_the_definition(client, world) -> None:
    version = small_version()
    page = client.get(reverse("assessment:methodology_detail", args=[version.pk])).content.decode()
    for fragment in (
        "Violence",  # an actor indicator, translated label
        "12.5&nbsp;%",  # its share: 2 of 16
        "Very high",  # a level label and a band
        "0.55",  # a band threshold
        "Highest state",  # a market aggregate
        "Source reliability",
        "At most 5 crime areas",
        "mean(criminal_markets_score, criminal_actors_score)",
        "Criminality against",
        version.definition_hash,
    ):
        assert fragment in page, fragment
    download = client.get(reverse("assessment:methodology_download", args=[version.pk]))
    assert download["Content-Type"].startswith("application/yaml")
    assert download.content.decode() == version.definition


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "declared"),
    [
        ("es", "weighted(criminal_markets_score; 0,35; criminal_actors_score; 0,65)"),
        ("pt", "weighted(criminal_markets_score; 0,35; criminal_actors_score; 0,65)"),
        ("fr", "weighted(criminal_markets_score; 0,35; criminal_actors_score; 0,65)"),
        ("en", "weighted(criminal_markets_score, 0.35, criminal_actors_score, 0.65)"),
    ],
)
def test_the_detail_page_writes_the_formula_numbers_in_the_language(
    client, world, language, declared
) -> None:
    """A decimal comma where the language has one, and then semicolons between the arguments; the
    stored definition and its hash stay as written."""
    version = weighted_run().methodology
    hash_before = version.definition_hash
    response = client.get(
        reverse("assessment:methodology_detail", args=[version.pk]), headers={"accept-language": language}
    )
    assert f"<td><code>{declared}</code></td>" in response.content.decode()
    version.refresh_from_db()
    assert WEIGHTED_CRIMINALITY in version.definition and version.definition_hash == hash_before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "word"),
    [("es", "Metodologías"), ("pt", "Metodologias"), ("fr", "Méthodologies"), ("en", "Methodologies")],
)
def test_the_pages_render_in_four_languages(client, world, language, word) -> None:
    version = small_version()
    for url in (
        reverse("assessment:methodology_list"),
        reverse("assessment:methodology_detail", args=[version.pk]),
    ):
        response = client.get(url, headers={"accept-language": language})
        assert response.status_code == 200
        assert word in response.content.decode()


@pytest.mark.django_db
def test_api_refuses_another_text_for_an_existing_version_and_gives_the_detail(client, world) -> None:
    version = default_version()
    text = DEFAULT_YAML.replace("{code: violence, weight: 2,", "{code: violence, weight: 3,")
    response = sign_in(client, admin()).post(
        reverse("assessment-methodology-list"), {"definition": text}, content_type="application/json"
    )
    assert response.status_code == 400
    assert 'set "version: 2"' in response.json()["issues"][0]["message"]
    detail = client.get(reverse("assessment-methodology-detail", args=[version.pk])).json()
    assert detail["definition"] == DEFAULT_YAML and detail["definition_hash"] == version.definition_hash
    assert detail["parsed"]["actor_indicators"][2] == {"code": "violence", "weight": 2, "unknown": "exclude"}
    assert detail["composite"] is True
