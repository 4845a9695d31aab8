from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "setka.readiness"
    label = "readiness"
    verbose_name = _("Readiness")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import notify, rules, today  # noqa: F401 - kinds, predicates, «Сегодня» blocks
