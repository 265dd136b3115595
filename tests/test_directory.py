"""The directory as people use it: browsing states and organisations, and the secretariat
administrator managing accounts, organisations and memberships from the UI."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ceiba.core.choices import Role
from ceiba.core.models import Membership, Organisation, State, User

from .conftest import sign_in


def admin_client(world) -> Client:
    return sign_in(Client(headers={"accept-language": "en"}), world.users["secretariat_admin"])


def test_the_directory_lists_the_35_states_with_subregion_and_membership(world) -> None:
    html = Client(headers={"accept-language": "en"}).get(reverse("core:state_list")).content.decode()
    assert "35 states" in html
    members = Client().get(reverse("core:state_list"), {"member": "true"}).content.decode()
    import re

    assert len(re.findall(r'<td><a href="/directory/states/[A-Z]{3}/">', members)) == 11
    assert State.objects.filter(committee_member_since__isnull=False).count() == 11


def test_filters_by_subregion_and_search_in_any_language(world) -> None:
    client = Client(headers={"accept-language": "en"})
    andean = client.get(reverse("core:state_list"), {"subregion": "andean"}).content.decode()
    assert "5 states" in andean and "Colombia" in andean
    found = client.get(reverse("core:state_list"), {"q": "Brésil"}).content.decode()
    assert "1 state" in found and "Brazil" in found


def test_a_state_page_shows_its_organisations_and_focal_points(world) -> None:
    client = sign_in(Client(headers={"accept-language": "en"}), world.users["national_analyst@other_state"])
    html = client.get(reverse("core:state_detail", args=["arg"])).content.decode()
    assert "Policía Federal Argentina" in html
    assert "Marina Sosa" in html  # Argentina's focal point is a published contact
    assert "Julián Benítez" not in html  # Argentina's analyst is not


def test_organisations_filter_by_type_and_state(world) -> None:
    html = (
        Client().get(reverse("core:organisation_list"), {"kind": "police", "state": "BRA"}).content.decode()
    )
    assert "Polícia Federal" in html and "Policía Federal Argentina" not in html


def test_the_admin_opens_an_account_with_a_membership(world) -> None:
    client = admin_client(world)
    response = client.post(
        reverse("core:account_create"),
        {
            "full_name": "Ana Prueba (synthetic)",
            "email": "Ana.Prueba@Test.Ceiba.example",
            "language": "es",
            "organisation": world.arg_police.pk,
            "role": Role.NATIONAL_ANALYST,
            "title": "Analista",
            "password": "a sufficiently long password",
            "is_synthetic": "on",
        },
    )
    user = User.objects.get(email="ana.prueba@test.ceiba.example")
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:person_detail", args=[user.pk]
    )
    assert user.check_password("a sufficiently long password")
    assert user.roles == {Role.NATIONAL_ANALYST}
    assert user.history.get().history_user == world.users["secretariat_admin"]


def test_account_validation_names_each_field_and_saves_nothing(world) -> None:
    client = admin_client(world)
    before = (User.objects.count(), Membership.objects.count())
    response = client.post(
        reverse("core:account_create"),
        {
            "full_name": "Duplicada",
            "email": "focal.arg@demo.ceiba.example",
            "language": "es",
            "organisation": world.secretariat.pk,
            "role": Role.NATIONAL_ANALYST,
            "password": "short",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "An account with this e-mail address already exists." in html
    assert "This password is too short" in html
    assert (User.objects.count(), Membership.objects.count()) == before


def test_a_role_in_the_wrong_kind_of_organisation_is_refused_and_nothing_is_left_behind(world) -> None:
    client = admin_client(world)
    before = User.objects.count()
    response = client.post(
        reverse("core:account_create"),
        {
            "full_name": "Persona Prueba (synthetic)",
            "email": "persona@test.ceiba.example",
            "language": "es",
            "organisation": world.arg_police.pk,
            "role": Role.SECRETARIAT_ANALYST,
            "password": "a sufficiently long password",
        },
    )
    assert response.status_code == 400
    assert "Secretariat roles are held in the regional secretariat." in response.content.decode()
    assert User.objects.count() == before  # the account was rolled back with the membership


def test_the_admin_adds_and_ends_memberships(world) -> None:
    client = admin_client(world)
    person = world.users["forum_participant"]
    response = client.post(
        reverse("core:membership_add", args=[person.pk]),
        {
            "organisation": world.arg_police.pk,
            "role": Role.ACTION_PARTICIPANT,
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, role=Role.ACTION_PARTICIPANT)
    client.post(reverse("core:membership_end", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.end_date == timezone.localdate()


def test_the_admin_creates_and_edits_organisations(world) -> None:
    client = admin_client(world)
    response = client.post(
        reverse("core:organisation_create"),
        {
            "name": "Dirección Nacional de Migraciones",
            "acronym": "DNM",
            "kind": "migration",
            "state": world.arg.pk,
            "is_active": "on",
        },
    )
    organisation = Organisation.objects.get(acronym="DNM")
    assert response.status_code == 302
    response = client.post(
        reverse("core:organisation_edit", args=[organisation.pk]),
        {
            "name": "Dirección Nacional de Migraciones",
            "acronym": "DNM",
            "kind": "migration",
            "state": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert "must belong to a state" in response.content.decode()


def test_the_admin_records_a_states_committee_membership(world) -> None:
    client = admin_client(world)
    client.post(reverse("core:state_edit", args=["COL"]), {"committee_member_since": "2024-05-01"})
    colombia = State.objects.get(iso3="COL")
    assert colombia.is_committee_member
    html = client.get(reverse("core:record_history", args=["state", "COL"])).content.decode()
    assert "May 1, 2024" in html and "Lucía Ferreyra" in html


def test_synthetic_people_are_marked_as_such(world) -> None:
    client = sign_in(Client(headers={"accept-language": "en"}), world.users["secretariat_admin"])
    html = client.get(
        reverse("core:person_detail", args=[world.users["national_analyst"].pk])
    ).content.decode()
    assert "This person is invented" in html


def test_list_pages_have_a_fixed_number_of_queries(world, django_assert_max_num_queries) -> None:
    client = sign_in(Client(), world.users["secretariat_admin"])
    client.get(reverse("core:person_list"))  # warm the session
    with django_assert_max_num_queries(14):
        client.get(reverse("core:person_list"))
    with django_assert_max_num_queries(10):
        client.get(reverse("core:organisation_list"))
    with django_assert_max_num_queries(10):
        client.get(reverse("core:state_list"))
    with django_assert_max_num_queries(14):
        client.get(reverse("core:audit_list"))


def test_the_admin_dashboard_lists_accounts_that_still_need_a_second_factor(
    world, django_assert_max_num_queries
) -> None:
    from tests.factories import MembershipFactory, UserFactory

    for _ in range(30):
        MembershipFactory(user=UserFactory(), organisation=world.arg_police)
    forum_only = UserFactory(full_name="Solo Foro (synthetic)")
    MembershipFactory(user=forum_only, organisation=world.secretariat, role=Role.FORUM_PARTICIPANT)
    client = sign_in(Client(headers={"accept-language": "en"}), world.users["secretariat_admin"])
    client.get(reverse("core:dashboard"))
    with django_assert_max_num_queries(20):
        html = client.get(reverse("core:dashboard")).content.decode()
    card = html.split("Accounts without a second factor (30)")[1].split("</section>")[0]
    assert card.count("<li>") == 20  # the first twenty, with the count in the heading
    assert "Solo Foro" not in card
