"""Formatting of explanations in templates: numbers in the viewer's locale, signed moves, shares,
formulas, and "unknown" never shown as zero."""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

register = template.Library()


def _format(value: float, decimals: int) -> str:
    """Round half-even on the exact binary value (as Python's format does), then localise; Django's
    `number_format` alone truncates floats."""
    return number_format(Decimal(f"{value:.{decimals}f}"), decimals)


@register.filter
def num(value: float | None, decimals: int = 3) -> str:
    """A number with `decimals` decimals in the viewer's locale; "unknown" when there is none."""
    if value is None:
        return _("unknown")
    return _format(value, decimals)


@register.filter
def signed(value: float | None, decimals: int = 3) -> str:
    """A move with its sign (+0.012, −0.034, ±0.000)."""
    if value is None:
        return _("unknown")
    text = _format(abs(value), decimals)
    if round(value, decimals) == 0:
        return f"±{text}"
    return f"+{text}" if value > 0 else f"−{text}"


@register.filter
def pct(value: float | None) -> str:
    """A share (0–1) as a percentage with one decimal; "unknown" when there is none."""
    if value is None:
        return _("unknown")
    return f"{_format(value * 100, 1)} %"


@register.filter
def share_of(part: float | None, whole: float | None) -> str:
    """`part` as a percentage of `whole` (the share of a score an input contributes)."""
    if part is None or not whole:
        return "–"
    return f"{_format(part / whole * 100, 1)} %"


@register.filter
def raw(value: float | None) -> str:
    """A raw input value: whole numbers without decimals, others with three."""
    if value is None:
        return _("unknown")
    return _format(value, 0 if float(value).is_integer() else 3)


#: A composite formula's tokens that change with the locale: names (kept, even with digits in
#: them), numeric literals and argument commas.
_FORMULA_TOKEN = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<comma>,)"
)


@register.filter
def formula(text: str) -> str:
    """A composite formula (as declared, or with the values put in) with its numbers in the viewer's
    locale, digits as written. Where the decimal separator is a comma the arguments are separated by
    semicolons, as spreadsheets do: `weighted(a, 0.35, b, 0.65)` reads `weighted(a; 0,35; b; 0,65)`.
    Display only: the stored definition, its hash and the API keep the methodology's notation."""
    comma_decimal = get_format("DECIMAL_SEPARATOR") == ","

    def localise(token: re.Match[str]) -> str:
        if token["number"]:
            return number_format(Decimal(token["number"]))
        if token["comma"]:
            return ";" if comma_decimal else ","
        return token[0]

    return _FORMULA_TOKEN.sub(localise, str(text))
