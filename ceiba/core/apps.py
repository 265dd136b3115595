from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ceiba.core"
    label = "core"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from ceiba.common import access

        from . import policies, selectors, signals  # noqa: F401

        access.set_principal_resolver(selectors.principal_for_user)
        policies.register_all()
