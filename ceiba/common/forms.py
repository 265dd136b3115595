"""What every app's forms share: the hint of a list from which several entries may be chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, StrPromise

#: How to choose several entries of a <select multiple>: few people know it without being told.
SELECT_SEVERAL = _("Hold Ctrl (⌘ on a Mac) to select several.")


def select_several(help_text: StrOrPromise = "") -> StrPromise:
    """The help text of a <select multiple>: `help_text` (if any), then how to select several. Django
    points the list's `aria-describedby` at it and the templates render it with that id."""
    return format_lazy("{} {}", help_text, SELECT_SEVERAL) if help_text else SELECT_SEVERAL
