from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "setka.programs"
    label = "programs"
    verbose_name = _("Network programmes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import notify, rules, today  # noqa: F401 - register kinds, rules and blocks
