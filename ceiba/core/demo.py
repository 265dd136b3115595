"""The demo scenario: the 35 states of the Americas, the committee's eleven founding states, the
secretariat, AMERIPOL, one ministry and one police organisation per member state, a few partners,
and one synthetic demo account per role. Loading it twice changes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import pycountry
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .choices import OrganisationType, Role, Subregion
from .models import Organisation, State, User

#: The 35 independent states of the Americas and their subregion (docs/decisions/0003-subregions.md).
STATES: dict[str, str] = {
    "CAN": Subregion.NORTH_AMERICA,
    "USA": Subregion.NORTH_AMERICA,
    "MEX": Subregion.NORTH_AMERICA,
    "BLZ": Subregion.CENTRAL_AMERICA,
    "CRI": Subregion.CENTRAL_AMERICA,
    "SLV": Subregion.CENTRAL_AMERICA,
    "GTM": Subregion.CENTRAL_AMERICA,
    "HND": Subregion.CENTRAL_AMERICA,
    "NIC": Subregion.CENTRAL_AMERICA,
    "PAN": Subregion.CENTRAL_AMERICA,
    "ATG": Subregion.CARIBBEAN,
    "BHS": Subregion.CARIBBEAN,
    "BRB": Subregion.CARIBBEAN,
    "CUB": Subregion.CARIBBEAN,
    "DMA": Subregion.CARIBBEAN,
    "DOM": Subregion.CARIBBEAN,
    "GRD": Subregion.CARIBBEAN,
    "HTI": Subregion.CARIBBEAN,
    "JAM": Subregion.CARIBBEAN,
    "KNA": Subregion.CARIBBEAN,
    "LCA": Subregion.CARIBBEAN,
    "VCT": Subregion.CARIBBEAN,
    "TTO": Subregion.CARIBBEAN,
    "GUY": Subregion.CARIBBEAN,
    "SUR": Subregion.CARIBBEAN,
    "BOL": Subregion.ANDEAN,
    "COL": Subregion.ANDEAN,
    "ECU": Subregion.ANDEAN,
    "PER": Subregion.ANDEAN,
    "VEN": Subregion.ANDEAN,
    "ARG": Subregion.SOUTHERN_CONE,
    "BRA": Subregion.SOUTHERN_CONE,
    "CHL": Subregion.SOUTHERN_CONE,
    "PRY": Subregion.SOUTHERN_CONE,
    "URY": Subregion.SOUTHERN_CONE,
}

#: The founding states of CLASI (presentation meeting; creation decided on 2 March 2022).
FOUNDING_DATE = date(2022, 3, 2)
FOUNDING_MEMBERS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # iso3: ((ministry, acronym), (police, acronym)) — real public institutions, no persons.
    "ARG": (("Ministerio de Seguridad Nacional", "MSN"), ("Policía Federal Argentina", "PFA")),
    "BRA": (("Ministério da Justiça e Segurança Pública", "MJSP"), ("Polícia Federal", "PF")),
    "CHL": (("Ministerio de Seguridad Pública", "MSP"), ("Policía de Investigaciones de Chile", "PDI")),
    "CRI": (("Ministerio de Seguridad Pública", "MSP"), ("Organismo de Investigación Judicial", "OIJ")),
    "ECU": (("Ministerio del Interior", "MDI"), ("Policía Nacional del Ecuador", "PNE")),
    "SLV": (("Ministerio de Justicia y Seguridad Pública", "MJSP"), ("Policía Nacional Civil", "PNC")),
    "MEX": (("Secretaría de Seguridad y Protección Ciudadana", "SSPC"), ("Guardia Nacional", "GN")),
    "PAN": (("Ministerio de Seguridad Pública", "MINSEG"), ("Policía Nacional de Panamá", "PN")),
    "PRY": (("Ministerio del Interior", "MDI"), ("Policía Nacional del Paraguay", "PNP")),
    "PER": (("Ministerio del Interior", "MININTER"), ("Policía Nacional del Perú", "PNP")),
    "URY": (("Ministerio del Interior", "MI"), ("Policía Nacional", "PN")),
}

REGIONAL_ORGANISATIONS = [
    ("Secretaría Regional de Ceiba", "SRC", OrganisationType.SECRETARIAT),
    ("Comunidad de Policías de América", "AMERIPOL", OrganisationType.REGIONAL_BODY),
    ("Organización de los Estados Americanos", "OEA", OrganisationType.MULTILATERAL),
    ("Oficina de las Naciones Unidas contra la Droga y el Delito", "UNODC", OrganisationType.MULTILATERAL),
    ("EL PAcCTO 2.0", "EL PAcCTO", OrganisationType.INTERNATIONAL_PARTNER),
    ("Red Ciudadana por la Seguridad (demo)", "RCS", OrganisationType.CIVIL_SOCIETY),
    ("Observatorio Universitario de Seguridad (demo)", "OUS", OrganisationType.ACADEMIA),
]

DEMO_PASSWORD = "ceiba-demo-2026"  # noqa: S105 — printed on purpose: demo accounts only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    organisation: str  # acronym, with state for national organisations: "ARG:MSN"
    language: str


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin@demo.ceiba.example", "Lucía Ferreyra (synthetic)", Role.SECRETARIAT_ADMIN, "SRC", "es"
    ),
    DemoAccount(
        "secretariat.analyst@demo.ceiba.example",
        "Tomás Quiroga (synthetic)",
        Role.SECRETARIAT_ANALYST,
        "SRC",
        "es",
    ),
    DemoAccount(
        "focal.arg@demo.ceiba.example", "Marina Sosa (synthetic)", Role.NATIONAL_FOCAL_POINT, "ARG:MSN", "es"
    ),
    DemoAccount(
        "analyst.arg@demo.ceiba.example", "Julián Benítez (synthetic)", Role.NATIONAL_ANALYST, "ARG:PFA", "es"
    ),
    DemoAccount(
        "focal.bra@demo.ceiba.example",
        "Renata Albuquerque (synthetic)",
        Role.NATIONAL_FOCAL_POINT,
        "BRA:MJSP",
        "pt",
    ),
    DemoAccount(
        "analyst.bra@demo.ceiba.example", "Caio Moreira (synthetic)", Role.NATIONAL_ANALYST, "BRA:PF", "pt"
    ),
    DemoAccount(
        "delegate.chl@demo.ceiba.example",
        "Ignacia Valdés (synthetic)",
        Role.COMMITTEE_DELEGATE,
        "CHL:MSP",
        "es",
    ),
    DemoAccount(
        "action.leader@demo.ceiba.example",
        "Esteban Rojas (synthetic)",
        Role.ACTION_PARTICIPANT,
        "AMERIPOL",
        "es",
    ),
    DemoAccount("forum@demo.ceiba.example", "Claire Dubois (synthetic)", Role.FORUM_PARTICIPANT, "RCS", "fr"),
]


def demo_totp_key(email: str) -> str:
    """A fixed TOTP key per demo account, so the printed secret stays valid across `make run`."""
    return hashlib.sha256(f"ceiba-demo-totp:{email}".encode()).hexdigest()[:40]


@dataclass
class DemoReport:
    created: int = 0


@transaction.atomic
def load_demo() -> DemoReport:
    report = DemoReport()
    states: dict[str, State] = {}
    for iso3, subregion in STATES.items():
        state = State.objects.filter(iso3=iso3).first()
        if state is None:
            country = pycountry.countries.get(alpha_3=iso3)
            assert country is not None, iso3
            state = State(
                iso3=iso3,
                iso2=country.alpha_2,
                numeric=country.numeric,
                english_name=getattr(country, "common_name", country.name),
                subregion=subregion,
                committee_member_since=FOUNDING_DATE if iso3 in FOUNDING_MEMBERS else None,
            )
            state.full_clean()
            state.save()
            report.created += 1
        states[iso3] = state

    organisations: dict[str, Organisation] = {}
    for name, acronym, kind in REGIONAL_ORGANISATIONS:
        organisations[acronym] = _organisation(report, name=name, acronym=acronym, kind=kind, state=None)
    for iso3, ((ministry, ministry_acronym), (police, police_acronym)) in FOUNDING_MEMBERS.items():
        organisations[f"{iso3}:{ministry_acronym}"] = _organisation(
            report,
            name=ministry,
            acronym=ministry_acronym,
            kind=OrganisationType.INTERIOR_MINISTRY,
            state=states[iso3],
        )
        organisations[f"{iso3}:{police_acronym}"] = _organisation(
            report, name=police, acronym=police_acronym, kind=OrganisationType.POLICE, state=states[iso3]
        )

    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = services.user_create(
                email=account.email,
                full_name=account.full_name,
                password=DEMO_PASSWORD,
                language=account.language,
                is_synthetic=True,
                organisation=organisations[account.organisation],
                role=account.role,
            )
            report.created += 1
        if user.requires_second_factor and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(
                user=user, name="Demo authenticator", key=demo_totp_key(user.email), confirmed=True
            )
            report.created += 1
    return report


def _organisation(
    report: DemoReport, *, name: str, acronym: str, kind: str, state: State | None
) -> Organisation:
    existing = Organisation.objects.filter(name=name, state=state).first()
    if existing is not None:
        return existing
    report.created += 1
    return services.organisation_create(name=name, acronym=acronym, kind=kind, state=state)


def demo_accounts_table() -> list[dict[str, str]]:
    """What `ceiba demo` prints: each account, its role, password and TOTP secret."""
    from base64 import b32encode

    rows = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        rows.append(
            {
                "email": account.email,
                "role": str(Role(account.role).label),
                "password": DEMO_PASSWORD,
                "totp_secret": b32encode(device.bin_key).decode() if device else "",
            }
        )
    return rows
