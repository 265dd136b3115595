"""Forms to record an entity and a link in a contribution. Property values are typed one per line
as `property: value` (FtM property names), and followthemoney validates them in the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from .entity_schema import LINK_CHOICES, NODE_CHOICES
from .forms import DisseminationForm, _grade_choices
from .models import Contribution, CriminalNetwork, EntityRecord

PROPERTIES_HELP = _(
    "One value per line, as “property: value”, with FollowTheMoney property names, e.g. "
    "name: …, alias: …, birthDate: 1980-05-17, nationality: ar, email: …, phone: +54…, "
    "registrationNumber: …, imoNumber: …, iban: …, address: …"
)


def parse_properties(text: str) -> tuple[dict[str, list[str]], list[str]]:
    """`property: value` lines to {property: [values]}, and the lines that are not of that shape."""
    properties: dict[str, list[str]] = {}
    bad: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip() or not value.strip():
            bad.append(line.strip())
            continue
        properties.setdefault(name.strip(), []).append(value.strip())
    return properties, bad


class _EntityBaseForm(DisseminationForm):
    source_reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=_grade_choices("reliability")
    )
    information_credibility = forms.ChoiceField(
        label=_("Information credibility"), choices=_grade_choices("credibility")
    )
    properties = forms.CharField(
        label=_("Properties"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=PROPERTIES_HELP,
    )

    GRADING_AND_MARKING = (
        (_("Grading"), ["grading_scheme", "source_reliability", "information_credibility"]),
        (
            _("Marking and dissemination"),
            [
                "tlp",
                "handling_code",
                "handling_conditions",
                "scope",
                "shared_with_states",
                "shared_with_organisations",
            ],
        ),
    )
    SECTIONS: tuple[tuple[Any, list[str]], ...] = ()

    class Meta(DisseminationForm.Meta):
        model = EntityRecord  # type: ignore[assignment]
        fields = [
            "grading_scheme",
            "source_reliability",
            "information_credibility",
            *DisseminationForm.Meta.fields,
        ]

    def fieldsets(self) -> list[tuple[Any, list[BoundField]]]:
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in (*self.SECTIONS, *self.GRADING_AND_MARKING)
        ]

    def clean_properties(self) -> dict[str, list[str]]:
        properties, bad = parse_properties(self.cleaned_data.get("properties", ""))
        if bad:
            raise forms.ValidationError(
                _("Write each value as “property: value”: %(lines)s") % {"lines": "; ".join(bad[:5])}
            )
        return properties

    def marking(self) -> dict[str, Any]:
        dissemination = self.dissemination()
        data = self.cleaned_data
        return {
            "tlp": dissemination["tlp"],
            "handling_code": dissemination["handling_code"],
            "handling_conditions": dissemination["handling_conditions"],
            "scope": dissemination["scope"],
            "shared_with_states": dissemination["states"],
            "shared_with_organisations": dissemination["organisations"],
            "grading_scheme": data["grading_scheme"],
            "source_reliability": data["source_reliability"],
            "information_credibility": data["information_credibility"],
        }


class EntityForm(_EntityBaseForm):
    """A person, organisation, company, vessel, vehicle, aircraft, address or account."""

    schema = forms.ChoiceField(label=_("Kind of entity"), choices=NODE_CHOICES)
    ftm_id = forms.CharField(
        label=_("Entity id"),
        max_length=255,
        required=False,
        help_text=_("The id the entity has in your source, if any; left empty, Ceiba makes one."),
    )
    network = forms.ModelChoiceField(
        label=_("Criminal network profile"),
        queryset=CriminalNetwork.objects.none(),
        required=False,
        help_text=_("For an organisation: the network profile of your contribution it stands for."),
    )

    SECTIONS = ((_("The entity"), ["schema", "ftm_id", "properties", "network"]),)

    def __init__(self, *args: Any, contribution: Contribution, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["network"]).queryset = networks


class LinkForm(_EntityBaseForm):
    """A link between two entities the user may see (membership, associate, family...)."""

    schema = forms.ChoiceField(label=_("Kind of link"), choices=LINK_CHOICES)
    source = forms.CharField(
        label=_("From (entity id)"),
        max_length=255,
        help_text=_("The member, person, owner, director or payer: the id shown on the entity's page."),
    )
    target = forms.CharField(
        label=_("To (entity id)"),
        max_length=255,
        help_text=_("The organisation, associate, relative, asset or beneficiary."),
    )

    SECTIONS = ((_("The link"), ["schema", "source", "target", "properties"]),)

    def __init__(self, *args: Any, contribution: Contribution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["properties"].help_text = _(
            "Optional, one per line, e.g. role: …, startDate: 2024-01, endDate: …, amount: …, currency: USD"
        )


class EntityRecordEditForm(forms.Form):
    """What a contribution's record states about an entity: its values (and, for an organisation,
    the network it stands for). Marking and dissemination change on their own page."""

    schema = forms.ChoiceField(label=_("Kind of entity"), choices=NODE_CHOICES + LINK_CHOICES)
    properties = forms.CharField(
        label=_("Properties"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=PROPERTIES_HELP,
    )
    network = forms.ModelChoiceField(
        label=_("Criminal network profile"), queryset=CriminalNetwork.objects.none(), required=False
    )

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["network"]).queryset = networks

    def clean_properties(self) -> dict[str, list[str]]:
        properties, bad = parse_properties(self.cleaned_data.get("properties", ""))
        if bad:
            raise forms.ValidationError(
                _("Write each value as “property: value”: %(lines)s") % {"lines": "; ".join(bad[:5])}
            )
        return properties

    def fieldsets(self) -> list[tuple[Any, list[BoundField]]]:
        return [(_("The entity"), [self["schema"], self["properties"], self["network"]])]


def properties_text(record: EntityRecord) -> str:
    """A record's values as the form shows them, one `property: value` per line."""
    return "\n".join(f"{s.prop}: {s.value}" for s in record.statements.order_by("prop", "pk"))
