"""Who may open each observatory page: one row per persona (anonymous, each role, another state's)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceiba.common.testing.permissions import permission_matrix
from ceiba.observatory import services
from ceiba.observatory.models import Alert, AlertRule, Indicator, Observation

from .conftest import owid_file
from .factories import ArmsRegisterReportFactory, ConfidenceMeasureFactory, WhitePaperFactory

SECRETARIAT = {"anonymous": 302, "secretariat_admin": 200, "secretariat_analyst": 200}


def seeded(world: Any) -> None:
    services.states_ensure()
    services.indicators_seed()


def with_release(world: Any) -> int:
    seeded(world)
    release = services.release_import(
        source_format="owid", content=owid_file([["Argentina", "ARG", 2022, 4.3, ""]]), file_name="h.csv"
    )
    return release.pk


def with_alert(world: Any) -> int:
    seeded(world)
    rule = AlertRule.objects.create(
        indicator=Indicator.objects.get(slug="homicide-rate"), name="r", expression="yoy > 10%"
    )
    return Alert.objects.create(rule=rule, state=world.arg, year=2022, value=5, reference=4, message="m").pk


def public(name: str, *args: str) -> Any:
    def url(world: Any) -> str:
        seeded(world)
        return reverse(f"observatory:{name}", args=args)

    return url


test_home = permission_matrix("observatory:home", url=public("home"), expect={}, default=200)
test_indicator = permission_matrix(
    "observatory:indicator_detail", url=public("indicator_detail", "homicide-rate"), expect={}, default=200
)
test_countries = permission_matrix(
    "observatory:country_list", url=public("country_list"), expect={}, default=200
)
test_profile = permission_matrix(
    "observatory:country_profile", url=public("country_profile", "ARG"), expect={}, default=200
)
test_compare = permission_matrix("observatory:compare", url=public("compare"), expect={}, default=200)
test_milex = permission_matrix(
    "observatory:military_expenditure", url=public("military_expenditure"), expect={}, default=200
)
test_transparency = permission_matrix(
    "observatory:transparency", url=public("transparency"), expect={}, default=200
)
test_open_data = permission_matrix("observatory:open_data", url=public("open_data"), expect={}, default=200)
test_datapackage = permission_matrix(
    "observatory:datapackage", url=public("datapackage"), expect={}, default=200
)
test_series = permission_matrix(
    "observatory:series", url=public("series", "homicide-rate", "csv"), expect={}, default=200
)
test_breakdowns = permission_matrix(
    "observatory:breakdowns", url=public("breakdowns", "homicide-rate", "json"), expect={}, default=200
)
test_profile_series = permission_matrix(
    "observatory:profile_series",
    url=public("profile_series", "ARG", "homicide-rate", "json"),
    expect={},
    default=200,
)
test_profile_data = permission_matrix(
    "observatory:profile_data", url=public("profile_data", "ARG", "xlsx"), expect={}, default=200
)
test_alerts = permission_matrix("observatory:alert_list", url=public("alert_list"), expect={}, default=200)

test_imports = permission_matrix(
    "observatory:import_list", url=public("import_list"), expect=SECRETARIAT, default=403
)
test_release = permission_matrix(
    "observatory:release_detail",
    url=lambda world: reverse("observatory:release_detail", args=[with_release(world)]),
    expect=SECRETARIAT,
    default=403,
)
test_alert_rules = permission_matrix(
    "observatory:alert_rules", url=public("alert_rules"), expect=SECRETARIAT, default=403
)
test_alert_review = permission_matrix(
    "observatory:alert_review",
    url=lambda world: reverse("observatory:alert_review", args=[with_alert(world)]),
    method="post",
    data={"decision": "publish"},
    expect={"anonymous": 302, "secretariat_admin": 302, "secretariat_analyst": 302},
    default=403,
)
# A state's transparency measures are published by its own focal point (ARG here) or the secretariat.
test_transparency_add = permission_matrix(
    "observatory:transparency_add",
    url=public("transparency_add", "ARG", "white-paper"),
    expect={
        "anonymous": 302,
        "secretariat_admin": 200,
        "secretariat_analyst": 200,
        "national_focal_point": 200,
    },
    default=403,
)

TRANSPARENCY_EDITORS = {"secretariat_admin": 200, "secretariat_analyst": 200, "national_focal_point": 200}


def argentine_paper(world: Any) -> int:
    seeded(world)
    return WhitePaperFactory(state=world.arg).pk


test_transparency_edit = permission_matrix(
    "observatory:transparency_edit",
    url=lambda world: reverse(
        "observatory:transparency_edit", args=["ARG", "white-paper", argentine_paper(world)]
    ),
    expect={"anonymous": 302, **TRANSPARENCY_EDITORS},
    default=403,
)
test_transparency_delete = permission_matrix(
    "observatory:transparency_delete",
    url=lambda world: reverse(
        "observatory:transparency_delete", args=["ARG", "white-paper", argentine_paper(world)]
    ),
    method="post",
    expect={"secretariat_admin": 302, "secretariat_analyst": 302, "national_focal_point": 302},
    default=403,
)


# --- the API: reads are public; an unreviewed alert is seen by the secretariat and the state concerned;
# imports are the secretariat's.


def api(path: str, make: Any = None) -> Any:
    def url(world: Any) -> str:
        seeded(world)
        return f"/api/v1/observatory/{path.format(pk=make(world) if make else '')}"

    return url


def observation(world: Any) -> int:
    with_release(world)
    return Observation.objects.get().pk


test_api_indicators = permission_matrix(
    "observatory-indicator-list", url=api("indicators/"), expect={}, default=200
)
test_api_indicator = permission_matrix(
    "observatory-indicator-detail", url=api("indicators/homicide-rate/"), expect={}, default=200
)
test_api_observations = permission_matrix(
    "observatory-observation-list", url=api("observations/"), expect={}, default=200
)
test_api_observation = permission_matrix(
    "observatory-observation-detail", url=api("observations/{pk}/", observation), expect={}, default=200
)
test_api_releases = permission_matrix(
    "observatory-release-list", url=api("releases/"), expect={}, default=200
)
test_api_release = permission_matrix(
    "observatory-release-detail", url=api("releases/{pk}/", with_release), expect={}, default=200
)
test_api_papers = permission_matrix(
    "observatory-white-paper-list", url=api("white-papers/"), expect={}, default=200
)
test_api_paper = permission_matrix(
    "observatory-white-paper-detail", url=api("white-papers/{pk}/", argentine_paper), expect={}, default=200
)
test_api_register = permission_matrix(
    "observatory-arms-register-list", url=api("arms-register/"), expect={}, default=200
)
test_api_register_one = permission_matrix(
    "observatory-arms-register-detail",
    url=api("arms-register/{pk}/", lambda w: ArmsRegisterReportFactory().pk),
    expect={},
    default=200,
)
test_api_measures = permission_matrix(
    "observatory-confidence-measure-list", url=api("confidence-measures/"), expect={}, default=200
)
test_api_measure = permission_matrix(
    "observatory-confidence-measure-detail",
    url=api("confidence-measures/{pk}/", lambda w: ConfidenceMeasureFactory().pk),
    expect={},
    default=200,
)
test_api_alerts = permission_matrix("observatory-alert-list", url=api("alerts/"), expect={}, default=200)
test_api_alert = permission_matrix(
    "observatory-alert-detail",
    url=api("alerts/{pk}/", with_alert),  # an Argentine alert awaiting review
    expect={
        "secretariat_admin": 200,
        "secretariat_analyst": 200,
        "national_focal_point": 200,
        "national_analyst": 200,
    },
    default=404,
)
test_api_import = permission_matrix(
    "observatory-import",
    url=api("imports/"),
    method="post",
    data=lambda world: {
        "source_format": "owid",
        "file": SimpleUploadedFile(
            "h.csv", owid_file([["Argentina", "ARG", 2022, 4.3, ""]]), content_type="text/csv"
        ),
    },
    expect={"anonymous": 401, "secretariat_admin": 202, "secretariat_analyst": 202},
    default=403,
)
