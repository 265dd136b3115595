from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentationConfig(AppConfig):
    name = "ceiba.documentation"
    label = "documentation"
    verbose_name = _("Threat documentation")

    def ready(self) -> None:
        from . import policies

        policies.register_all()
        from .interchange import ftm  # noqa: F401  (registers the FtM importer)
