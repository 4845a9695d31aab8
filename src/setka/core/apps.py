from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "setka.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import converters
        from .sqlite import install_unicode_like

        converters.register()  # <id:…> in the URL patterns of every app

        connection_created.connect(install_unicode_like, dispatch_uid="setka_unicode_like")
        # The triggers of the change log (core.changes), for every table that exists now.
        post_migrate.connect(_install_changes, sender=self, dispatch_uid="setka_changes")


def _install_changes(using: str = "default", **_kwargs) -> None:
    from .changes import install

    install(using)
