"""Country codes and names as publishers write them. No database: callers pass the aliases the
secretariat recorded.

ISO 3166-1 alpha-3 codes are checked against pycountry; publishers' own codes for regions and
sub-national units (OWID_WRL, UN_LAC, GBR_E_W…) are recognised as such and skipped, not refused.
Names are matched through the CLDR names in the four interface languages plus English variants.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import pycountry
from babel import Locale

#: Codes in common use that ISO has not assigned (Kosovo).
EXTRA_CODES = {"XKX"}
_ISO3 = re.compile(r"^[A-Z]{3}$")

#: Frequent English spellings that neither ISO nor CLDR uses.
NAME_VARIANTS: dict[str, str] = {
    "democratic republic of congo": "COD",
    "congo": "COG",
    "cote d'ivoire": "CIV",
    "timor": "TLS",
    "cape verde": "CPV",
    "micronesia (country)": "FSM",
    "bolivia (plurinational state of)": "BOL",
    "venezuela (bolivarian republic of)": "VEN",
    "united states of america": "USA",
    "saint vincent and the grenadines": "VCT",
    "saint kitts and nevis": "KNA",
    "saint lucia": "LCA",
    "turkey": "TUR",
    "kosovo": "XKX",
}


class CodeKind:
    COUNTRY = "country"
    AGGREGATE = "aggregate"  # a region, a group or a part of a country, in the publisher's own code
    EMPTY = "empty"
    UNKNOWN = "unknown"


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    return frozenset(country.alpha_3 for country in pycountry.countries) | EXTRA_CODES


def classify_code(raw: object) -> tuple[str, str]:
    """(kind, normalised code) for a publisher's country code cell."""
    code = str(raw or "").strip().upper()
    if not code:
        return CodeKind.EMPTY, code
    if "_" in code:
        return CodeKind.AGGREGATE, code
    if _ISO3.match(code) and code in iso3_codes():
        return CodeKind.COUNTRY, code
    return CodeKind.UNKNOWN, code


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = text.replace("’", "'").casefold().strip()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=1)
def name_index() -> dict[str, str]:
    """Every name of every country (ISO, CLDR in es/pt/en/fr, usual variants) → ISO alpha-3."""
    by_alpha2 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                index.setdefault(normalise_name(value), country.alpha_3)
    for language in ("en", "es", "pt", "fr"):
        for alpha2, label in Locale.parse(language).territories.items():
            if alpha2 in by_alpha2:
                index.setdefault(normalise_name(label), by_alpha2[alpha2])
    index.update({normalise_name(k): v for k, v in NAME_VARIANTS.items()})
    return index


def match_name(name: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """The ISO alpha-3 code of a country name, or None. `aliases` (keys normalised with
    `normalise_name`, see `normalise_aliases`) come first."""
    key = normalise_name(name)
    if not key:
        return None
    if aliases and key in aliases:
        return aliases[key]
    return name_index().get(key)


def normalise_aliases(aliases: Mapping[str, str]) -> dict[str, str]:
    return {normalise_name(name): code for name, code in aliases.items()}
