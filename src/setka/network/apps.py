from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "setka.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from . import (
            notify,  # noqa: F401 - registers the notification kinds
            today,  # noqa: F401 - registers the blocks of «Сегодня»
        )
