from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "ceiba.observatory"
    label = "observatory"
    verbose_name = _("Observatory")

    def ready(self) -> None:
        from . import policies

        policies.register_all()
