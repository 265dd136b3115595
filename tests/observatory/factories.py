"""Factories for observatory records (indicators, releases, values, transparency measures)."""

from __future__ import annotations

import factory
from django.utils import timezone

from ceiba.core.models import State
from ceiba.observatory.choices import DocumentLanguage, MeasureType, SourceFormat, Theme
from ceiba.observatory.models import (
    ArmsRegisterReport,
    ConfidenceMeasure,
    Indicator,
    Observation,
    Release,
    WhitePaper,
)


def state(iso3: str = "ARG") -> State:
    return State.objects.get(iso3=iso3)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"test-indicator-{n}")
    name = factory.Sequence(lambda n: f"Test indicator {n}")
    theme = Theme.CRIME
    definition = "A test indicator."
    unit = "per 100,000 population"
    publisher = "Test publisher"
    source_name = "Test source"
    licence = "CC BY 4.0"
    attribution = "Test publisher (synthetic data)"
    source_format = SourceFormat.OWID_GRAPHER
    source_selector = factory.LazyAttribute(lambda o: {"column": o.name})


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    source_format = SourceFormat.OWID_GRAPHER
    file_name = factory.Sequence(lambda n: f"release-{n}.csv")
    sha256 = "0" * 64
    imported_at = factory.LazyFunction(timezone.now)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    state = factory.LazyFunction(state)
    year = 2020
    value = 10.0
    release = factory.SubFactory(ReleaseFactory)


class WhitePaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WhitePaper

    state = factory.LazyFunction(state)
    title = factory.Sequence(lambda n: f"Defence white paper {n} (synthetic)")
    year = 2022
    language = DocumentLanguage.SPANISH
    url = "https://example.org/white-paper.pdf"


class ArmsRegisterReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArmsRegisterReport

    state = factory.LazyFunction(state)
    year = 2022
    categories = factory.LazyFunction(lambda: ["combat_aircraft"])


class ConfidenceMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfidenceMeasure

    state = factory.LazyFunction(state)
    kind = MeasureType.INFORMATION_EXCHANGE
    date = factory.LazyFunction(timezone.localdate)
