"""The indicators the observatory publishes, as declarative data (the seed of `ceiba observatory seed`).

Texts are gettext message ids (marked with gettext_noop): the database stores them in English and
pages show them in the reader's language. Each indicator names the publisher file format that feeds
it and which rows or column of such a file it reads (`selector`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from .choices import Periodicity, SourceFormat, Theme

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
UNODC_PORTAL_URL = "https://dataunodc.un.org/"
UNODC_LICENCE = gettext_noop("UNODC data: free reuse with attribution to UNODC")
SIPRI_LICENCE = gettext_noop(
    "SIPRI data: free to use with citation of SIPRI; processing by Our World in Data under CC BY 4.0"
)

DRUG_GROUPS: list[tuple[str, str, str, list[str]]] = [
    # slug suffix, name, DrugGroup as UNODC writes it, sub-groups left out of the headline total
    ("cocaine", gettext_noop("Cocaine-type drugs seized"), "Cocaine-type", ["Coca-type"]),
    (
        "cannabis",
        gettext_noop("Cannabis-type drugs seized"),
        "Cannabis-type drugs (excluding synthetic cannabinoids)",
        ["Cannabis plants", "Cannabis seed"],
    ),
    (
        "ats",
        gettext_noop("Amphetamine-type stimulants seized"),
        "Amphetamine-type stimulants (excluding “ecstasy”)",
        [],
    ),
    ("ecstasy", gettext_noop("“Ecstasy”-type substances seized"), "“Ecstasy”-type substances", []),
    ("opioids", gettext_noop("Opioids seized"), "Opioids", []),
    ("nps", gettext_noop("New psychoactive substances seized"), "NPS", []),
]

DRUG_METHOD = gettext_noop(
    "Sum of the kilograms reported for each drug of the group in the year. The UNODC export lists several "
    "rows for the same drug and year when quantities were reported separately (for instance by different "
    "agencies or in different original units); these rows are added up. Where a state reports a total for "
    "the group (“total of the above, including unspecified quantities”), the headline value is the larger "
    "of that total and the sum of the individual drugs, so nothing is counted twice. Quantities of plants, "
    "seeds and leaves left out of the headline, if any, are still shown by drug."
)

INDICATORS: list[dict[str, Any]] = [
    {
        "slug": "homicide-rate",
        "name": gettext_noop("Intentional homicide rate"),
        "theme": Theme.CRIME,
        "definition": gettext_noop(
            "Victims of intentional homicide (unlawful death inflicted upon a person with the intent to "
            "cause death or serious injury, ICCS category 0101) per 100,000 population."
        ),
        "unit": gettext_noop("victims per 100,000 population"),
        "decimals": 1,
        "publisher": "UNODC",
        "source_name": gettext_noop(
            "UNODC International Homicide Statistics, processed by Our World in Data"
        ),
        "source_url": "https://ourworldindata.org/grapher/homicide-rate-unodc",
        "licence": "CC BY 4.0",
        "licence_url": CC_BY,
        "attribution": gettext_noop(
            "UNODC (2024), International Homicide Statistics – processed by Our World in Data"
        ),
        "method_notes": gettext_noop(
            "Rates combine criminal-justice and public-health sources as selected by UNODC. Our World in "
            "Data republishes the series unchanged."
        ),
        "source_format": SourceFormat.OWID_GRAPHER,
        "selector": {"column": "Homicide rate per 100,000 population"},
    },
    *[
        {
            "slug": f"drug-seizures-{suffix}",
            "name": name,
            "theme": Theme.DRUGS,
            "definition": gettext_noop(
                "Quantity of drugs of this group seized by law enforcement in the year, in kilograms, as "
                "reported by the state to UNODC."
            ),
            "unit": gettext_noop("kilograms"),
            "decimals": 0,
            "publisher": "UNODC",
            "source_name": gettext_noop(
                "UNODC drug seizures (Annual Report Questionnaire), data portal export"
            ),
            "source_url": UNODC_PORTAL_URL,
            "licence": UNODC_LICENCE,
            "licence_url": "",
            "attribution": gettext_noop("UNODC, Drug seizures 2018–2022, UNODC data portal"),
            "method_notes": DRUG_METHOD,
            "source_format": SourceFormat.UNODC_DRUG_SEIZURES,
            "selector": {"drug_group": group, "headline_exclude_subgroups": excluded},
        }
        for suffix, name, group, excluded in DRUG_GROUPS
    ],
    {
        "slug": "firearms-seized",
        "name": gettext_noop("Firearms seized"),
        "theme": Theme.FIREARMS,
        "definition": gettext_noop(
            "Number of firearms seized by the authorities in the year, as reported to the UNODC Illicit "
            "Arms Flows Questionnaire. Breakdowns by type, condition, marking, location and legal "
            "justification are kept."
        ),
        "unit": gettext_noop("firearms"),
        "decimals": 0,
        "publisher": "UNODC",
        "source_name": gettext_noop("UNODC Illicit Arms Flows Questionnaire (IAFQ), data portal export"),
        "source_url": UNODC_PORTAL_URL,
        "licence": UNODC_LICENCE,
        "licence_url": "",
        "attribution": gettext_noop("UNODC, Illicit Arms Flows Questionnaire, UNODC data portal"),
        "method_notes": gettext_noop(
            "The headline value is the row whose dimension and category are both “Total”. Some breakdowns "
            "of the export repeat a category with different values (for instance two “Total” rows in the "
            "breakdown by location); the first is kept and the others are listed in the import report for "
            "review."
        ),
        "source_format": SourceFormat.UNODC_PORTAL,
        "selector": {"indicator": "Arms seized", "unit": "Counts"},
    },
    {
        "slug": "firearms-trafficking-arrests",
        "name": gettext_noop("Persons arrested for firearms trafficking"),
        "theme": Theme.FIREARMS,
        "definition": gettext_noop(
            "Individuals arrested or suspected for illicit trafficking in weapons in the year, as reported "
            "to the UNODC Illicit Arms Flows Questionnaire."
        ),
        "unit": gettext_noop("persons"),
        "decimals": 0,
        "publisher": "UNODC",
        "source_name": gettext_noop("UNODC Illicit Arms Flows Questionnaire (IAFQ), data portal export"),
        "source_url": UNODC_PORTAL_URL,
        "licence": UNODC_LICENCE,
        "licence_url": "",
        "attribution": gettext_noop("UNODC, Illicit Arms Flows Questionnaire, UNODC data portal"),
        "method_notes": gettext_noop(
            "Headline value: dimension “Total”, category “Total”; breakdowns by sex are kept."
        ),
        "source_format": SourceFormat.UNODC_PORTAL,
        "selector": {
            "indicator": "Individuals arrested/suspected for illicit trafficking in weapons",
            "unit": "Counts",
        },
    },
    *[
        {
            "slug": slug,
            "name": name,
            "theme": Theme.CRIME,
            "definition": definition,
            "unit": gettext_noop("offences per 100,000 population"),
            "decimals": 1,
            "publisher": "UNODC",
            "source_name": gettext_noop("UNODC Crime Trends Survey (CTS), data portal export"),
            "source_url": UNODC_PORTAL_URL,
            "licence": UNODC_LICENCE,
            "licence_url": "",
            "attribution": gettext_noop("UNODC, Crime Trends Survey, UNODC data portal"),
            "method_notes": gettext_noop(
                "Offences recorded by the police, per 100,000 population, as reported by the state to the "
                "UNODC Crime Trends Survey. Differences in legal definitions and in reporting practice "
                "limit comparisons between states."
            ),
            "source_format": SourceFormat.UNODC_PORTAL,
            "selector": {
                "indicator": "Violent offences",
                "unit": "Rate per 100,000 population",
                "dimension": "by type of offence",
                "category_prefix": category,
                "headline_dimension": "by type of offence",
                "headline_category": category,
            },
        }
        for slug, name, definition, category in [
            (
                "serious-assault-rate",
                gettext_noop("Serious assault offences"),
                gettext_noop(
                    "Serious assault offences recorded by the police per 100,000 population (ICCS 02011)."
                ),
                "Serious assault",
            ),
            (
                "sexual-violence-rate",
                gettext_noop("Sexual violence offences"),
                gettext_noop(
                    "Sexual violence offences recorded by the police per 100,000 population (ICCS 0301), "
                    "with rape and sexual assault as breakdowns."
                ),
                "Sexual violence",
            ),
            (
                "kidnapping-rate",
                gettext_noop("Kidnapping offences"),
                gettext_noop(
                    "Kidnapping offences recorded by the police per 100,000 population (ICCS 020221)."
                ),
                "Kidnapping",
            ),
        ]
    ],
    {
        "slug": "milex-share-gdp",
        "name": gettext_noop("Military expenditure (% of GDP)"),
        "theme": Theme.DEFENCE,
        "definition": gettext_noop(
            "Military expenditure as a share of gross domestic product, following the SIPRI definition."
        ),
        "unit": gettext_noop("% of GDP"),
        "decimals": 2,
        "publisher": "SIPRI",
        "source_name": gettext_noop("SIPRI Military Expenditure Database, processed by Our World in Data"),
        "source_url": "https://ourworldindata.org/grapher/military-spending-as-a-share-of-gdp-sipri",
        "licence": SIPRI_LICENCE,
        "licence_url": CC_BY,
        "attribution": gettext_noop(
            "SIPRI Military Expenditure Database (2025) – processed by Our World in Data"
        ),
        "method_notes": gettext_noop(
            "SIPRI counts all current and capital spending on the armed forces, defence ministries, "
            "paramilitary forces prepared for military operations and military space activities, from open "
            "sources only."
        ),
        "source_format": SourceFormat.OWID_GRAPHER,
        "selector": {"column": "Military expenditure (% of GDP)"},
        "higher_is_worse": False,
    },
    {
        "slug": "milex-constant-usd",
        "name": gettext_noop("Military expenditure (constant 2019 US dollars)"),
        "theme": Theme.DEFENCE,
        "definition": gettext_noop(
            "Military expenditure adjusted for inflation, in US dollars at constant 2019 prices and "
            "exchange rates."
        ),
        "unit": gettext_noop("US dollars (constant 2019)"),
        "decimals": 0,
        "publisher": "SIPRI",
        "source_name": gettext_noop(
            "SIPRI Military Expenditure Database, dataset published by Our World in Data"
        ),
        "source_url": "https://www.sipri.org/databases/milex",
        "licence": SIPRI_LICENCE,
        "licence_url": CC_BY,
        "attribution": gettext_noop(
            "SIPRI Military Expenditure Database – dataset published by Our World in Data"
        ),
        "method_notes": gettext_noop(
            "Published with country names only; names are matched to ISO codes by the importer, and names "
            "that match no state are listed for review."
        ),
        "source_format": SourceFormat.NAMES_TABLE,
        "selector": {"column": "military_expenditure"},
        "higher_is_worse": False,
    },
    {
        "slug": "milex-per-capita",
        "name": gettext_noop("Military expenditure per capita"),
        "theme": Theme.DEFENCE,
        "definition": gettext_noop(
            "Military expenditure divided by the population, in US dollars per person."
        ),
        "unit": gettext_noop("US dollars per person"),
        "decimals": 0,
        "publisher": "SIPRI",
        "source_name": gettext_noop(
            "SIPRI Military Expenditure Database, dataset published by Our World in Data"
        ),
        "source_url": "https://www.sipri.org/databases/milex",
        "licence": SIPRI_LICENCE,
        "licence_url": CC_BY,
        "attribution": gettext_noop(
            "SIPRI Military Expenditure Database – dataset published by Our World in Data"
        ),
        "method_notes": gettext_noop(
            "Published with country names only, matched to ISO codes by the importer."
        ),
        "source_format": SourceFormat.NAMES_TABLE,
        "selector": {"column": "military_expenditure_per_capita"},
        "higher_is_worse": False,
    },
    {
        "slug": "gdp-per-capita",
        "name": gettext_noop("GDP per capita"),
        "theme": Theme.CONTEXT,
        "definition": gettext_noop(
            "Gross domestic product per person, adjusted for price differences between countries "
            "(purchasing power parity) and for inflation. Shown as context for the security indicators."
        ),
        "unit": gettext_noop("international dollars (PPP, constant 2021 prices)"),
        "decimals": 0,
        "publisher": gettext_noop("World Bank"),
        "source_name": gettext_noop(
            "World Bank World Development Indicators, processed by Our World in Data"
        ),
        "source_url": "https://ourworldindata.org/grapher/gdp-per-capita-worldbank",
        "licence": "CC BY 4.0",
        "licence_url": CC_BY,
        "attribution": gettext_noop("World Bank (2025) – processed by Our World in Data"),
        "method_notes": "",
        "source_format": SourceFormat.OWID_GRAPHER,
        "selector": {"column": "GDP per capita"},
        "higher_is_worse": False,
    },
]

for _position, _entry in enumerate(INDICATORS):
    _entry.setdefault("position", (_position + 1) * 10)
    _entry.setdefault("periodicity", Periodicity.ANNUAL)
    _entry.setdefault("higher_is_worse", True)
