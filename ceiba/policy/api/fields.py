"""Related records named in an API input must be ones the caller may see: a serializer with
`VisibleRelatedMixin` restricts the querysets of its `visible_related` fields through the access
policy, so the id of a record one may not see answers exactly like an id that does not exist."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ceiba.common.access import Action, restrict


class VisibleRelatedMixin(serializers.Serializer):
    visible_related: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name in self.visible_related:
            field: Any = self.fields[name]
            field.queryset = restrict(field.queryset, user, Action.VIEW)
