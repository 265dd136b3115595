"""The REST API: tokens, problem+json errors, pagination, filters, schema and docs without a CDN."""

from __future__ import annotations

import json
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import Client
from django.urls import reverse
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from ceiba.core import services
from ceiba.core.api.fields import StateField
from ceiba.core.models import APIToken, Organisation

from .conftest import ENGLISH, sign_in

PROBLEM = "application/problem+json"


def token_client(user) -> tuple[Client, str]:
    _instance, key = services.api_token_create(user=user, name="tests")
    return Client(headers={**ENGLISH, "authorization": f"Token {key}"}), key


def test_a_personal_token_authenticates_and_shows_the_current_user(world) -> None:
    client, _key = token_client(world.users["national_analyst"])
    body = client.get(reverse("api-me")).json()
    assert body["email"] == "analyst.arg@demo.ceiba.example"
    assert body["roles"] == ["national_analyst"]
    assert body["memberships"][0]["state"] == "ARG"
    assert APIToken.objects.get(user=world.users["national_analyst"]).last_used_at is not None


def test_only_a_digest_of_the_token_is_stored(world) -> None:
    _client, key = token_client(world.users["national_analyst"])
    token = APIToken.objects.get(user=world.users["national_analyst"])
    assert key not in (token.digest, token.token_key)


def test_no_token_gets_401_problem_json_with_what_to_do(world) -> None:
    response = Client(headers=ENGLISH).get(reverse("person-list"))
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 401 and body["title"] == "Authentication required"
    assert "Token" in body["detail"]


def test_a_wrong_or_revoked_token_gets_401(world) -> None:
    client, key = token_client(world.users["national_analyst"])
    services.api_token_revoke(user=world.users["national_analyst"], token_key=key[:15])
    assert APIToken.objects.filter(user=world.users["national_analyst"]).count() == 0
    assert client.get(reverse("api-me")).status_code == 401
    assert Client(headers={"authorization": "Token nonsense"}).get(reverse("api-me")).status_code == 401


def test_a_session_without_the_second_factor_cannot_use_the_api(world) -> None:
    client = Client()
    client.force_login(world.users["national_analyst"])
    response = client.get(reverse("api-me"))
    assert response.status_code in (401, 403)
    assert "second-factor" in response.json()["detail"]


def test_another_states_analyst_is_not_found(world) -> None:
    client, _ = token_client(world.users["national_analyst@other_state"])
    response = client.get(reverse("person-detail", args=[world.users["national_analyst"].pk]))
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found, or not shared with you."


def test_people_lists_contain_only_visible_people(world) -> None:
    client, _ = token_client(world.users["national_analyst@other_state"])
    emails = {p["email"] for p in client.get(reverse("person-list"), {"page_size": 500}).json()["results"]}
    assert "analyst.bra@demo.ceiba.example" in emails
    assert "focal.arg@demo.ceiba.example" in emails  # published contact point
    assert "analyst.arg@demo.ceiba.example" not in emails


def test_lists_paginate_and_filter(world) -> None:
    client = Client()
    body = client.get(reverse("state-list"), {"page_size": 10}).json()
    assert body["count"] == 35 and len(body["results"]) == 10 and body["next"]
    members = client.get(reverse("state-list"), {"member": "true", "page_size": 100}).json()
    assert members["count"] == 11
    caribbean = client.get(reverse("state-list"), {"subregion": "caribbean", "page_size": 100}).json()
    assert {s["iso3"] for s in caribbean["results"]} >= {"JAM", "HTI", "TTO", "BHS"}
    police = client.get(reverse("organisation-list"), {"kind": "police", "state": "arg"}).json()
    assert [o["acronym"] for o in police["results"]] == ["PFA"]


def test_country_names_follow_the_language_of_the_request(world) -> None:
    client = Client()
    for language, name in [("es", "Brasil"), ("pt", "Brasil"), ("en", "Brazil"), ("fr", "Brésil")]:
        body = client.get(reverse("state-detail", args=["BRA"]), headers={"accept-language": language}).json()
        assert body["name"] == name


def test_a_malformed_body_gets_400_problem_json_naming_the_problem(world) -> None:
    client, _ = token_client(world.users["secretariat_admin"])
    response = client.post(reverse("organisation-list"), data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "JSON parse error" in response.json()["detail"]


def test_validation_errors_name_each_field(world) -> None:
    client, _ = token_client(world.users["secretariat_admin"])
    before = Organisation.objects.count()
    response = client.post(
        reverse("organisation-list"),
        data=json.dumps({"name": "", "kind": "police"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "name" in errors
    response = client.post(
        reverse("organisation-list"),
        data=json.dumps({"name": "Policía sin Estado", "kind": "police"}),
        content_type="application/json",
    )
    assert {e["field"] for e in response.json()["errors"]} == {"state"}
    assert Organisation.objects.count() == before


def test_the_secretariat_admin_creates_an_organisation_and_it_is_audited(world) -> None:
    client, _ = token_client(world.users["secretariat_admin"])
    response = client.post(
        reverse("organisation-list"),
        data=json.dumps(
            {"name": "Unidad de Información Financiera", "acronym": "UIF", "kind": "fiu", "state": "ARG"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    organisation = Organisation.objects.get(acronym="UIF")
    assert organisation.history.get().history_user == world.users["secretariat_admin"]


def test_memberships_are_created_through_the_api_with_role_rules(world) -> None:
    client, _ = token_client(world.users["secretariat_admin"])
    person = world.users["forum_participant"]
    response = client.post(
        reverse("membership-list"),
        data=json.dumps(
            {"person": person.pk, "organisation": world.secretariat.pk, "role": "national_analyst"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "role"


def test_an_oversized_body_gets_413_and_changes_nothing(world) -> None:
    client, _ = token_client(world.users["secretariat_admin"])
    before = Organisation.objects.count()
    response = client.post(
        reverse("organisation-list"), data="x" * (26 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert "largest accepted" in response.json()["detail"]
    assert Organisation.objects.count() == before


def test_the_schema_and_docs_are_served_without_any_cdn(world) -> None:
    schema = Client().get(reverse("api_schema"), headers={"accept": "application/json"})
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert {"/api/v1/states/", "/api/v1/organisations/", "/api/v1/memberships/", "/api/v1/me/"} <= set(paths)
    for name in ("api_docs", "api_redoc"):
        html = Client().get(reverse(name)).content.decode()
        assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
        assert "/static/drf_spectacular_sidecar/" in html


def test_the_current_user_changes_their_language(world) -> None:
    client, _ = token_client(world.users["national_analyst"])
    response = client.patch(
        reverse("api-me"), data=json.dumps({"language": "fr"}), content_type="application/json"
    )
    assert response.status_code == 200
    world.users["national_analyst"].refresh_from_db()
    assert world.users["national_analyst"].language == "fr"


def test_browser_sessions_with_second_factor_work_for_the_api(client, world) -> None:
    sign_in(client, world.users["national_analyst"])
    assert client.get(reverse("api-me")).status_code == 200


def _problem_for(error: Exception) -> Response:
    """What an API view answers when a service it calls raises `error`."""

    class Raising(APIView):
        authentication_classes: list[type] = []
        permission_classes = [AllowAny]

        def post(self, request: Request) -> Response:
            raise error

    response = Raising.as_view()(APIRequestFactory().post("/api/v1/example/", {}, format="json"))
    response.render()
    return response


def test_a_services_field_errors_become_a_400_naming_each_field() -> None:
    response = _problem_for(
        DjangoValidationError({"title": ["Give the lesson a title."], "cycle": ["The cycle is final."]})
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert body["errors"] == [
        {"field": "title", "message": "Give the lesson a title."},
        {"field": "cycle", "message": "The cycle is final."},
    ]
    assert body["detail"] == "title: Give the lesson a title.; cycle: The cycle is final."
    assert body["instance"] == "/api/v1/example/"


def test_a_services_error_without_a_field_becomes_a_400_without_one() -> None:
    closed = "This cycle is closed: it takes no new contributions."
    response = _problem_for(DjangoValidationError(closed))
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["errors"] == [{"field": "", "message": closed}]
    assert body["detail"] == closed


def test_a_records_own_error_from_full_clean_names_no_field() -> None:
    """`full_clean()` files errors of the whole record (a constraint over several fields) under
    Django's "__all__": a client gets them without a field, as DRF's own non-field errors."""
    taken = "A KPI with this code already exists for this action."
    response = _problem_for(DjangoValidationError({"__all__": [taken], "unit": ["Choose a unit."]}))
    body = json.loads(response.content)
    assert body["errors"] == [{"field": "", "message": taken}, {"field": "unit", "message": "Choose a unit."}]
    assert body["detail"] == f"{taken}; unit: Choose a unit."


def test_a_services_refusal_becomes_a_403_that_says_why() -> None:
    response = _problem_for(DjangoPermissionDenied("Only the secretariat records lessons."))
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert json.loads(response.content)["detail"] == "Only the secretariat records lessons."


def test_a_refusal_without_a_reason_keeps_the_default_message() -> None:
    response = _problem_for(DjangoPermissionDenied())
    assert response.status_code == 403
    body = json.loads(response.content)
    assert body["title"] == "Not allowed"
    assert body["detail"] == str(exceptions.PermissionDenied.default_detail)


class _StateShape(serializers.Serializer):
    state = StateField()
    partners = StateField(many=True, required=False)
    home = StateField(read_only=True)


def test_a_state_is_named_by_its_iso3_code(world) -> None:
    shape = _StateShape(data={"state": "ARG", "partners": ["BRA", "CHL"]})
    assert shape.is_valid(), shape.errors
    assert shape.validated_data["state"] == world.arg
    assert [s.iso3 for s in shape.validated_data["partners"]] == ["BRA", "CHL"]
    assert _StateShape(SimpleNamespace(state=world.arg, partners=[], home=world.bra)).data["home"] == "BRA"


def test_an_unknown_state_code_is_a_field_error(world) -> None:
    shape = _StateShape(data={"state": "XXX", "partners": ["BRA", "ZZZ"]})
    assert not shape.is_valid()
    assert set(shape.errors) == {"state", "partners"}


def test_which_memberships_are_active_is_decided_at_each_request(world) -> None:
    """The membership API's active filter used to be built when its module was imported, so a server
    started yesterday did not list a membership that starts today."""
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from ceiba.core.models import Membership

    today = timezone.localdate()
    starts_tomorrow = Membership.objects.create(
        user=world.users["forum_participant"],
        organisation=world.arg_police,
        role="national_analyst",
        start_date=today + timedelta(days=1),
    )
    client, _ = token_client(world.users["secretariat_admin"])
    url = reverse("membership-detail", args=[starts_tomorrow.pk])
    assert client.get(url).status_code == 404  # not active yet
    with mock.patch("django.utils.timezone.localdate", return_value=today + timedelta(days=1)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["id"] == starts_tomorrow.pk
