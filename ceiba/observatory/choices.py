"""The observatory's vocabulary: themes, source formats, release states, transparency categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    CRIME = "crime", _("Crime and violence")
    DRUGS = "drugs", _("Drug trafficking")
    FIREARMS = "firearms", _("Firearms trafficking")
    DEFENCE = "defence", _("Defence and military expenditure")
    CONTEXT = "context", _("Context")


class SourceFormat(models.TextChoices):
    """The publisher file formats the importers read (one importer each)."""

    UNODC_PORTAL = "unodc-portal", _("UNODC data portal export (XLSX or CSV)")
    UNODC_DRUG_SEIZURES = "unodc-drug-seizures", _("UNODC drug seizures export (XLSX or CSV)")
    OWID_GRAPHER = "owid", _("Our World in Data grapher CSV")
    NAMES_TABLE = "names-table", _("Table with country names only (CSV or XLSX)")


class Periodicity(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    IRREGULAR = "irregular", _("Irregular")


class Censor(models.TextChoices):
    """How a published value relates to the number stored: exact, or a bound such as "<5"."""

    EXACT = "", _("exact")
    BELOW = "<", _("below")
    ABOVE = ">", _("above")


class ReleaseStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    NEEDS_REVIEW = "needs_review", _("Needs review")
    REVIEWED = "reviewed", _("Reviewed")


class ArmsCategory(models.TextChoices):
    """The seven categories of the UN Register of Conventional Arms, and small arms and light weapons."""

    BATTLE_TANKS = "battle_tanks", _("Battle tanks")
    ARMOURED_COMBAT_VEHICLES = "armoured_combat_vehicles", _("Armoured combat vehicles")
    LARGE_CALIBRE_ARTILLERY = "large_calibre_artillery", _("Large-calibre artillery systems")
    COMBAT_AIRCRAFT = "combat_aircraft", _("Combat aircraft")
    ATTACK_HELICOPTERS = "attack_helicopters", _("Attack helicopters")
    WARSHIPS = "warships", _("Warships")
    MISSILES = "missiles", _("Missiles and missile launchers")
    SALW = "salw", _("Small arms and light weapons")


class MeasureType(models.TextChoices):
    """Confidence- and security-building measures, after the OAS consolidated list."""

    EXERCISE_NOTIFICATION = "exercise_notification", _("Notification of military exercises")
    OBSERVERS = "observers", _("Invitation of observers to exercises")
    INFORMATION_EXCHANGE = "information_exchange", _("Exchange of defence information")
    MILITARY_CONTACTS = "military_contacts", _("Military-to-military contacts and visits")
    BORDER_COOPERATION = "border_cooperation", _("Border cooperation and joint patrols")
    DISASTER_RELIEF = "disaster_relief", _("Cooperation in disaster relief")
    EDUCATION = "education", _("Joint education and training")
    OTHER = "other", _("Other measure")


class DocumentLanguage(models.TextChoices):
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    DUTCH = "nl", _("Dutch")


class AlertStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    DISMISSED = "dismissed", _("Dismissed")
