from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "setka.journal"
    label = "journal"
    verbose_name = _("Journal")

    def ready(self) -> None:
        from . import (
            notify,  # noqa: F401 - registers the notification kinds
            today,  # noqa: F401 - registers the blocks of «Сегодня»
        )
