"""Forms of a cycle's evaluation: a lesson, and the summary the secretariat finalises it with."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Lesson"), max_length=250)
    text = forms.CharField(label=_("What was learnt"), widget=forms.Textarea(attrs={"rows": 4}))


class FinaliseForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the evaluation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Once final, the figures and lessons no longer change and everyone may read them."),
    )
