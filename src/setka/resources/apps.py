from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "setka.resources"
    label = "resources"
    verbose_name = _("Resource centres")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import notify, rules, today  # noqa: F401 - kinds, predicates, «Сегодня» blocks
