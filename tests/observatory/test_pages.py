"""The public pages: indicators with their metadata, country profiles, compare and explore, with
charts that load their data lazily and a table beside each one; caching and page weight."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from ceiba.observatory import services

from .conftest import owid_file

pytestmark = pytest.mark.django_db


def english() -> Client:
    """A visitor reading in English (the platform's default language is Spanish)."""
    client = Client()
    client.cookies["ceiba_language"] = "en"
    return client


def chart_specs(html: str) -> list[dict]:
    return [
        json.loads(m)
        for m in re.findall(r'<script id="[^"]+" type="application/json">(.*?)</script>', html, re.S)
    ]


def test_home_lists_indicators_by_theme(published) -> None:
    html = english().get(reverse("observatory:home")).content.decode()
    assert "Intentional homicide rate" in html
    assert "Military expenditure (% of GDP)" in html
    assert "2021–2022" in html  # coverage of the homicide rate


def test_indicator_page_shows_metadata_ranking_and_lazy_charts(published) -> None:
    response = english().get(reverse("observatory:indicator_detail", args=["homicide-rate"]))
    html = response.content.decode()
    for text in (
        "victims per 100,000 population",
        "CC BY 4.0",
        "processed by Our World in Data",
        "Annual",
        "2021–2022, 5 states",
    ):
        assert text in html
    assert re.search(
        r'<td class="num">1</td><td><a href="/observatory/countries/JAM/">Jamaica</a></td>'
        r'<td class="num">53.1</td>',
        html,
    )
    specs = chart_specs(html)
    assert {s["layer"][0]["mark"]["type"] if "layer" in s else s["mark"]["type"] for s in specs} == {
        "geoshape",
        "bar",
    }
    for spec in specs:
        assert "values" not in json.dumps(
            spec["data"] if "data" in spec else spec["layer"]
        )  # data come lazily by URL
        assert "Licence: CC BY 4.0" in spec["title"]["subtitle"]
    assert "/static/ceiba/vendor/vega/vega.min.js" in html and "cdn" not in html.lower()


def test_unknown_indicator_is_not_found(published) -> None:
    assert english().get(reverse("observatory:indicator_detail", args=["no-such-thing"])).status_code == 404


def test_country_profile_has_rank_subregion_average_and_table(published) -> None:
    html = english().get(reverse("observatory:country_profile", args=["ARG"])).content.decode()
    latest = re.search(r'<a href="#ind-homicide-rate">.*?</tr>', html, re.S).group(0)
    cells = re.findall(r'<td class="num">([^<]*)</td>', latest)
    # year, value, rank among the 5 states reporting in 2022, Southern Cone average
    # (4.3 + 20.7 + 6.7 + 11.2) / 4, regional median
    assert cells == ["2022", "4.3", "5 of 5", "10.7", "11.2"]
    table = re.search(
        (
            r"<caption>Intentional homicide rate in Argentina and the Southern Cone average, by "
            r"year</caption>.*?</table>"
        ),
        html,
        re.S,
    )
    assert '<td>2021</td><td class="num">4.6</td><td class="num">13.5</td>' in table.group(0)  # (4.6+22.4)/2


def test_compare_shows_one_chart_and_table_per_indicator(published) -> None:
    url = (
        reverse("observatory:compare")
        + "?indicator=homicide-rate&state=ARG&state=BRA&subregion=southern_cone&chart=line"
    )
    html = english().get(url).content.decode()
    spec = chart_specs(html)[0]
    assert spec["mark"]["type"] == "line"
    assert "state=ARG" in spec["data"]["url"] and "subregion=southern_cone" in spec["data"]["url"]
    assert '<th scope="row">Southern Cone (average)</th>' in html
    assert '<th scope="row">Brazil</th><td class="num">22.4</td><td class="num">20.7</td>' in html


def test_compare_map_and_bar_charts(published) -> None:
    html = (
        english().get(reverse("observatory:compare") + "?indicator=homicide-rate&chart=map").content.decode()
    )
    spec = chart_specs(html)[0]
    assert spec["layer"][0]["data"]["url"].endswith("americas-50m.json")
    assert spec["layer"][2]["data"]["url"].endswith("americas-markers.json")  # small island states as markers
    assert "year=2022" in spec["layer"][1]["transform"][0]["from"]["data"]["url"]
    html = (
        english()
        .get(reverse("observatory:compare") + "?indicator=homicide-rate&chart=bar&year=2021")
        .content.decode()
    )
    assert chart_specs(html)[0]["mark"]["type"] == "bar"


def test_compare_refuses_reversed_years(published) -> None:
    response = english().get(reverse("observatory:compare") + "?year_from=2020&year_to=2010")
    assert response.status_code == 400
    assert "The last year must not be before the first." in response.content.decode()


def test_pages_are_light_before_charts_load(indicators, real_file) -> None:
    for relative in (
        "owid/homicide-rate-unodc.csv",
        "owid/gdp-per-capita-worldbank.csv",
        "sipri/military-spending-as-a-share-of-gdp-sipri_owid.csv",
    ):
        services.release_import(
            source_format="owid", content=real_file(relative), file_name=relative.split("/")[1]
        )
    client = Client()
    for url in (
        reverse("observatory:country_profile", args=["MEX"]),
        reverse("observatory:compare")
        + "?indicator=homicide-rate&indicator=gdp-per-capita&indicator=milex-share-gdp",
        reverse("observatory:indicator_detail", args=["gdp-per-capita"]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert len(response.content) < 500_000 - 80_000, url  # leaves room for CSS and the small scripts
        assert "vega.min.js" not in re.sub(
            r'data-vega="[^"]+"', "", response.content.decode()
        )  # libraries load lazily


def test_a_new_import_invalidates_the_cached_pages(published) -> None:
    client = english()
    url = reverse("observatory:country_profile", args=["ARG"])
    assert "4.3" in client.get(url).content.decode()
    services.release_import(
        source_format="owid",
        content=owid_file([["Argentina", "ARG", 2022, 9.9, ""]]),
        file_name="homicide-rate-unodc.csv",
    )
    assert "9.9" in client.get(url).content.decode()


def test_public_pages_are_cacheable_by_browsers(published) -> None:
    response = english().get(reverse("observatory:home"))
    assert response.headers["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize(
    "name",
    ["home", "country_list", "compare", "military_expenditure", "transparency", "open_data", "alert_list"],
)
def test_every_public_page_answers(published, name: str) -> None:
    assert english().get(reverse(f"observatory:{name}")).status_code == 200


def test_pages_follow_the_visitors_language(published) -> None:
    client = Client()
    client.cookies["ceiba_language"] = "en"
    assert client.get(reverse("observatory:home")).headers["Content-Language"] == "en"
    client.cookies["ceiba_language"] = "pt"
    assert client.get(reverse("observatory:home")).headers["Content-Language"] == "pt"


def test_charts_say_which_release_they_show(published) -> None:
    html = english().get(reverse("observatory:indicator_detail", args=["homicide-rate"])).content.decode()
    subtitle = chart_specs(html)[0]["title"]["subtitle"]
    assert subtitle[-1].startswith("Release: homicide-rate-unodc.csv, imported ")
