"""Forms of the committee part: members and presidencies, meetings (with the version they started
from, for optimistic locking), agenda items, documents, participants, minutes and decisions. The
services validate again; these forms only gather the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ceiba.core.models import Organisation, State

from .choices import (
    DecisionMethod,
    MajorityRule,
    MeetingFormat,
    MeetingLevel,
    ParticipantRole,
    Position,
    QuorumRule,
    Visibility,
)
from .models import AgendaItem, Committee

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VersionedForm(forms.Form):
    """Carries the record's `lock_version` the editor started from."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MemberForm(forms.Form):
    state = forms.ModelChoiceField(label=_("State"), queryset=State.objects.order_by("english_name"))
    joined_on = forms.DateField(label=_("Member since"), widget=DATE)
    left_on = forms.DateField(label=_("Left on"), required=False, widget=DATE)


class MemberEditForm(forms.Form):
    joined_on = forms.DateField(label=_("Member since"), widget=DATE)
    left_on = forms.DateField(label=_("Left on"), required=False, widget=DATE)


class PresidencyForm(forms.Form):
    state = forms.ModelChoiceField(label=_("State"), queryset=State.objects.order_by("english_name"))
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)


class MeetingForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.all())
    title = forms.CharField(label=_("Title"), max_length=250)
    level = forms.ChoiceField(label=_("Level"), choices=MeetingLevel.choices)
    format = forms.ChoiceField(label=_("Format"), choices=MeetingFormat.choices)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    location = forms.CharField(label=_("Place"), max_length=250, required=False)
    online_url = forms.URLField(label=_("Link to join"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["committee"]
            self.fields["lock_version"].required = True


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()  # type: ignore[attr-defined]


class ParticipantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)
    state = forms.ModelChoiceField(
        label=_("State"), queryset=State.objects.order_by("english_name"), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    head_of_delegation = forms.BooleanField(label=_("Head of delegation"), required=False)


class MinutesForm(VersionedForm):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: headings, lists, emphasis, links and tables."),
    )
    approved_on = forms.DateField(label=_("Minutes approved on"), required=False, widget=DATE)


class DecisionForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=250)
    method = forms.ChoiceField(label=_("Adopted by"), choices=DecisionMethod.choices)
    quorum = forms.ChoiceField(
        label=_("Quorum"),
        choices=[("", _("The committee's rule")), *QuorumRule.choices],
        required=False,
    )
    majority = forms.ChoiceField(
        label=_("Majority"),
        choices=[("", _("The committee's rule")), *MajorityRule.choices],
        required=False,
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))


class DecisionTextForm(VersionedForm):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class PositionForm(forms.Form):
    state = forms.ModelChoiceField(label=_("State"), queryset=State.objects.order_by("english_name"))
    position = forms.ChoiceField(
        label=pgettext_lazy("a state on a decision", "Position"), choices=Position.choices
    )
    statement = forms.CharField(
        label=_("Statement"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(VersionedForm):
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE)


class PublishForm(VersionedForm):
    public = forms.BooleanField(label=_("Publish"), required=False)
