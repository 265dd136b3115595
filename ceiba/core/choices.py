"""The directory's vocabulary: subregions, organisation types and roles (ARCHITECTURE.md §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Subregion(models.TextChoices):
    NORTH_AMERICA = "north_america", _("North America")
    CENTRAL_AMERICA = "central_america", _("Central America")
    CARIBBEAN = "caribbean", _("Caribbean")
    ANDEAN = "andean", _("Andean")
    SOUTHERN_CONE = "southern_cone", _("Southern Cone")


class OrganisationType(models.TextChoices):
    INTERIOR_MINISTRY = "interior_ministry", _("Ministry of interior or security")
    POLICE = "police", _("Police")
    CUSTOMS = "customs", _("Customs")
    PROSECUTION = "prosecution", _("Prosecution service")
    FIU = "fiu", _("Financial intelligence unit")
    MIGRATION = "migration", _("Migration authority")
    DEFENCE = "defence", _("Ministry of defence")
    PENITENTIARY = "penitentiary", _("Penitentiary service")
    SECRETARIAT = "secretariat", _("Regional secretariat")
    REGIONAL_BODY = "regional_body", _("Regional body")
    MULTILATERAL = "multilateral", _("Multilateral body")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia")
    INTERNATIONAL_PARTNER = "international_partner", _("International partner")


#: Organisation types that belong to a state (and must name it).
NATIONAL_ORGANISATION_TYPES = frozenset(
    {
        OrganisationType.INTERIOR_MINISTRY,
        OrganisationType.POLICE,
        OrganisationType.CUSTOMS,
        OrganisationType.PROSECUTION,
        OrganisationType.FIU,
        OrganisationType.MIGRATION,
        OrganisationType.DEFENCE,
        OrganisationType.PENITENTIARY,
    }
)


class Role(models.TextChoices):
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    NATIONAL_FOCAL_POINT = "national_focal_point", _("National focal point")
    SECRETARIAT_ANALYST = "secretariat_analyst", _("Secretariat analyst")
    SECRETARIAT_ADMIN = "secretariat_admin", _("Secretariat administrator")
    COMMITTEE_DELEGATE = "committee_delegate", _("Committee delegate")
    ACTION_PARTICIPANT = "action_participant", _("Action leader or participant")
    FORUM_PARTICIPANT = "forum_participant", _("Forum participant")


NATIONAL_ROLES = frozenset({Role.NATIONAL_ANALYST, Role.NATIONAL_FOCAL_POINT, Role.COMMITTEE_DELEGATE})
SECRETARIAT_ROLES = frozenset({Role.SECRETARIAT_ANALYST, Role.SECRETARIAT_ADMIN})
#: Roles that may see restricted member data: their holders must use a second factor.
RESTRICTED_DATA_ROLES = frozenset(set(Role) - {Role.FORUM_PARTICIPANT})


class NotificationChannel(models.TextChoices):
    """Where a person receives the notifications of one kind."""

    BOTH = "both", _("Inbox and e-mail")
    INBOX = "inbox", _("Inbox only")
    EMAIL = "email", _("E-mail only")
    NONE = "none", _("Not at all")


#: Channels that put a notification in the in-app inbox, and those that send an e-mail.
INBOX_CHANNELS = frozenset({NotificationChannel.BOTH, NotificationChannel.INBOX})
EMAIL_CHANNELS = frozenset({NotificationChannel.BOTH, NotificationChannel.EMAIL})
