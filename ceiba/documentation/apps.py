from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentationConfig(AppConfig):
    name = "ceiba.documentation"
    label = "documentation"
    verbose_name = _("Threat documentation")

    def ready(self) -> None:
        from . import policies, search_kinds
        from .interchange import ftm, misp, statistics, stix  # noqa: F401  (register the importers)

        policies.register_all()
        search_kinds.register_documentation_kinds()
