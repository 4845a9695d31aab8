from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "setka.schedule"
    label = "schedule"
    verbose_name = _("Municipal schedule builder")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import notify, rules, today  # noqa: F401 - kinds, predicates, «Сегодня» blocks
