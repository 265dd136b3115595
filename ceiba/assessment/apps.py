from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "ceiba.assessment"
    label = "assessment"
    verbose_name = _("Regional threat assessment")

    def ready(self) -> None:
        from . import policies

        policies.register_all()
