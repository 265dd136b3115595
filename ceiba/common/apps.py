from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "ceiba.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects audit receivers)
