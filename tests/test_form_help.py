"""Form help that screen readers find: every help text and error is the element the field's
`aria-describedby` names, and every list from which several entries may be chosen (<select multiple>)
says how to choose them, in each language."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

import ceiba
from ceiba.common.forms import SELECT_SEVERAL

from .conftest import sign_in


def dangling_descriptions(html: str) -> list[str]:
    """The ids named by an `aria-describedby` of the page that no element of the page has."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    named = [name for value in re.findall(r'aria-describedby="([^"]*)"', html) for name in value.split()]
    return [name for name in named if name not in ids]


def multiple_selects() -> Iterator[tuple[str, forms.Field]]:
    """Every <select multiple> field declared by a form class of the project (dotted name, field)."""
    for module_info in pkgutil.walk_packages(ceiba.__path__, "ceiba."):
        if ".migrations" in module_info.name or module_info.name.endswith(".cli"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, forms.BaseForm):
                continue
            for field_name, field in getattr(cls, "base_fields", {}).items():
                widget = field.widget
                if isinstance(widget, forms.SelectMultiple) and not isinstance(
                    widget, forms.CheckboxSelectMultiple
                ):
                    yield f"{cls.__module__}.{cls.__name__}.{field_name}", field


def test_every_select_multiple_says_how_to_select_several() -> None:
    found = dict(multiple_selects())
    assert len(found) >= 20, sorted(found)  # the walk reaches the apps' forms
    with translation.override("en"):
        lacking = [name for name, field in found.items() if str(SELECT_SEVERAL) not in str(field.help_text)]
    assert not lacking, lacking


class _Sample(forms.Form):
    states = forms.MultipleChoiceField(
        label="States", choices=[("ARG", "Argentina"), ("BRA", "Brazil")], help_text=SELECT_SEVERAL
    )
    name = forms.CharField(label="Name", help_text="A name.")
    areas = forms.MultipleChoiceField(
        label="Crime areas",
        choices=[("drugs", "Drugs"), ("arms", "Arms")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every area.",
    )


@pytest.mark.parametrize("data", [None, {}], ids=["blank", "with errors"])
def test_the_shared_form_partial_renders_what_aria_describedby_names(data) -> None:
    with translation.override("en"):
        html = render_to_string("includes/form_fields.html", {"form": _Sample(data=data)})
    assert 'aria-describedby="id_states_helptext' in html
    assert f'<small id="id_states_helptext">{SELECT_SEVERAL}</small>' in html
    assert not dangling_descriptions(html)
    if data is not None:
        assert 'aria-describedby="id_name_helptext id_name_error"' in html and 'id="id_name_error"' in html
    # A group of checkboxes is a fieldset named by its legend and described by its help (and errors).
    described = "id_areas_helptext id_areas_error" if data is not None else "id_areas_helptext"
    state = " has-error" if data is not None else ""
    assert f'<fieldset class="field choice-group{state}" aria-describedby="{described}">' in html
    assert "<legend>Crime areas" in html and '<small id="id_areas_helptext">Tick every area.</small>' in html
    assert 'for="id_areas"' not in html  # no label pointing at an id no input has


#: The select-several hint as each language's readers see it (pytest parameters: language, hint).
HINT_IN_EACH_LANGUAGE = pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("es", "Mantenga presionada la tecla Ctrl (⌘ en Mac) para seleccionar varios."),
        ("pt", "Mantenha Ctrl (⌘ no Mac) pressionado para selecionar vários."),
        ("fr", "Maintenez la touche Ctrl (⌘ sur Mac) enfoncée pour en sélectionner plusieurs."),
        ("en", "Hold Ctrl (⌘ on a Mac) to select several."),
    ],
)


@pytest.mark.django_db
@HINT_IN_EACH_LANGUAGE
def test_form_pages_describe_their_lists_in_each_language(world, language, hint) -> None:
    client = sign_in(Client(headers={"accept-language": language}), world.users["secretariat_admin"])
    for url, field in [
        (reverse("policy:recommendation_create"), "id_states"),  # the shared partial
        (reverse("observatory:compare"), "id_state"),  # a page of its own
    ]:
        html = client.get(url).content.decode()
        assert re.search(
            rf'<select name="\w+"[^>]* aria-describedby="{field}_helptext"[^>]* multiple', html
        ), url
        assert f'<small id="{field}_helptext">{hint}</small>' in html, url
        assert not dangling_descriptions(html), url
    # A refused form: the errors too are what the fields name.
    html = client.post(reverse("policy:recommendation_create"), {"title": ""}).content.decode()
    assert 'id="id_title_error"' in html and not dangling_descriptions(html)


@pytest.mark.django_db
def test_each_notification_kind_is_described_to_its_group_of_choices(world) -> None:
    """The preferences page's choices are radio groups in fieldsets, which Django does not link to
    their help text: the template does, on the fieldset."""
    client = sign_in(Client(headers={"accept-language": "en"}), world.users["national_focal_point"])
    html = client.get(reverse("core:notification_preferences")).content.decode()
    groups = re.findall(
        r'<fieldset class="field channel-choices[^"]*" aria-describedby="([^"\s]+)_helptext">', html
    )
    assert groups and not dangling_descriptions(html)
    assert all(f'<small id="{name}_helptext">' in html for name in groups)


@pytest.mark.django_db
def test_the_threat_report_form_renders_its_fields_with_the_shared_field_partial(world) -> None:
    """The report form groups its fields in sections of its own but renders each field with
    `includes/form_field.html`: its subregions and enablers are described groups too."""
    from tests.documentation.factories import contribution_for, open_cycle

    contribution = contribution_for(world, open_cycle(world), "ARG")
    client = sign_in(Client(headers={"accept-language": "en"}), world.users["national_analyst"])
    url = reverse("documentation:report_create", args=[contribution.pk])
    for html in (client.get(url).content.decode(), client.post(url, {"title": ""}).content.decode()):
        legends = re.findall(r'<fieldset class="field choice-group[^"]*"[^>]*>\s*<legend>([^<*]+)', html)
        assert {"Subregions", "Enablers"} <= {legend.strip() for legend in legends}
        assert not dangling_descriptions(html)
    assert 'id="id_title_error"' in html
