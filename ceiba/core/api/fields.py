"""Serializer fields every app's API shares."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ceiba.core.models import State


class StateField(serializers.SlugRelatedField[State]):
    """A state named by its ISO 3166 alpha-3 code ("ARG"). As input, the code must be one of the
    states the platform knows (a 400 naming the field otherwise); `many=True` takes a list of codes."""

    def __init__(self, **kwargs: Any) -> None:
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", State.objects.all())
        super().__init__(slug_field="iso3", **kwargs)
