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

        from django.db.models.signals import post_delete

        from .attachment_services import delete_stored_file
        from .models import ReportAttachment

        post_delete.connect(delete_stored_file, sender=ReportAttachment, dispatch_uid="attachment-file")
