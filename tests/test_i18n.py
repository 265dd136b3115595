"""Four languages: every page renders in each, the choice sticks, the catalogues are complete, and
country names come from CLDR."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import sign_in

LANGUAGES = ["es", "pt", "en", "fr"]
NAV_WORDS = {
    "es": ["Estados", "Organizaciones", "Personas", "Cerrar sesión"],
    "pt": ["Estados", "Organizações", "Pessoas", "Sair"],
    "en": ["States", "Organisations", "People", "Sign out"],
    "fr": ["États", "Organisations", "Personnes", "Se déconnecter"],
}


def pages(world) -> list[str]:
    return [
        reverse("home"),
        reverse("core:dashboard"),
        reverse("core:state_list"),
        reverse("core:state_detail", args=["JAM"]),
        reverse("core:organisation_list"),
        reverse("core:organisation_detail", args=[world.arg_police.pk]),
        reverse("core:person_list"),
        reverse("core:person_detail", args=[world.users["national_analyst"].pk]),
        reverse("core:account"),
        reverse("core:account_create"),
        reverse("core:organisation_create"),
        reverse("core:state_edit", args=["ARG"]),
        reverse("core:record_history", args=["state", "ARG"]),
        reverse("core:audit_list"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_each_language_with_translated_navigation(world, language) -> None:
    client = sign_in(Client(headers={"accept-language": language}), world.users["secretariat_admin"])
    for url in pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        nav = html.split("</header>")[0]
        for word in NAV_WORDS[language]:
            assert word in nav, (url, language, word)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_render_in_each_language(world, language) -> None:
    client = Client(headers={"accept-language": language})
    for url in [reverse("home"), reverse("core:state_list"), reverse("core:login"), "/no-such-page/"]:
        response = client.get(url)
        assert f'<html lang="{language}">' in response.content.decode()


def test_the_language_choice_sticks_across_pages_and_sign_ins(world) -> None:
    client = Client(headers={"accept-language": "es"})
    response = client.post(reverse("set_language"), {"language": "pt", "next": reverse("core:state_list")})
    assert response.status_code == 302 and response["Location"] == reverse("core:state_list")
    assert "Estados Unidos" in client.get(reverse("core:state_list")).content.decode()
    assert '<html lang="pt">' in client.get(reverse("home")).content.decode()
    # A signed-in person's choice is kept on the account and comes back at the next sign-in elsewhere.
    user = world.users["national_analyst"]
    signed = sign_in(Client(), user)
    signed.post(reverse("set_language"), {"language": "fr", "next": "/"})
    user.refresh_from_db()
    assert user.language == "fr"
    fresh = Client()
    fresh.post(reverse("core:login"), {"username": user.email, "password": world.password})
    assert fresh.cookies["ceiba_language"].value == "fr"


def test_an_unknown_language_or_foreign_next_is_ignored(world) -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "ceiba_language" not in response.cookies


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("es", ["Brasil", "Haití", "San Cristóbal y Nieves", "Estados Unidos"]),
        ("pt", ["Brasil", "Haiti", "São Cristóvão e Névis", "Estados Unidos"]),
        ("en", ["Brazil", "Haiti", "St. Kitts &amp; Nevis", "United States"]),
        ("fr", ["Brésil", "Haïti", "Saint-Christophe-et-Niévès", "États-Unis"]),
    ],
)
def test_country_names_come_from_cldr_in_the_chosen_language(world, language, names) -> None:
    html = Client(headers={"accept-language": language}).get(reverse("core:state_list")).content.decode()
    for name in names:
        assert name in html, (language, name)


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_catalogues_are_complete(language) -> None:
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    missing = [
        m.id
        for m in catalogue
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:10]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:10]}"
    mo = path.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= path.stat().st_mtime - 1, (
        "compile the catalogue (make messages)"
    )


def test_templates_have_no_untranslated_visible_text() -> None:
    """A cheap guard: text between tags in templates must go through {% translate %} or variables."""
    offenders = []
    for template in (Path(settings.BASE_DIR) / "ceiba" / "templates").rglob("*.html"):
        text = template.read_text()
        text = re.sub(r"{% blocktranslate.*?endblocktranslate %}", " ", text, flags=re.S)
        text = re.sub(
            r"{%.*?%}|{{.*?}}|<script.*?</script>|<style.*?</style>|<!--.*?-->", " ", text, flags=re.S
        )
        for chunk in re.findall(r">([^<>]+)<", text):
            words = re.sub(r"[\s·—→:#*()%.,/&;-]+|\d+|nbsp|amp|lt|gt", " ", chunk).strip()
            if re.search(r"[A-Za-zÀ-ÿ]{3,}", words):
                offenders.append(f"{template.name}: {chunk.strip()[:60]}")
    assert not offenders, offenders


def test_without_a_choice_or_browser_language_the_platform_speaks_spanish(world) -> None:
    from config.settings import base

    assert base.LANGUAGE_CODE == "es"
    from django.test import override_settings

    with override_settings(LANGUAGE_CODE="es"):
        html = Client().get(reverse("home")).content.decode()
    assert '<html lang="es">' in html and "Cooperación regional" in html


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_the_observatory_catalogue_is_translated(language) -> None:
    """The seeded indicator texts are translation keys: each must be in the catalogues, or visitors
    read English names and definitions on pages in their language."""
    from django.utils import translation

    from ceiba.observatory.catalogue import INDICATORS

    untranslated = []
    with translation.override(language):
        for indicator in INDICATORS:
            for field in ("name", "definition", "unit", "method_notes"):
                text = indicator.get(field)
                if text and translation.gettext(text) == text:
                    untranslated.append(f"{indicator['slug']}.{field}")
    assert not untranslated, untranslated
