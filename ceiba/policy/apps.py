from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "ceiba.policy"
    label = "policy"
    verbose_name = _("Policy cycle")

    def ready(self) -> None:
        from . import calendar_sources, feedback, notifications, policies

        policies.register_all()
        notifications.register()
        calendar_sources.register()
        feedback.register()
