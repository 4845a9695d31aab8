from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from setka.core import nav
from setka.core import views as core_views
from setka.network.views import home

from .api import api

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/", include("setka.accounts.urls")),
    path("", include("setka.network.urls")),
    path("journal/", include("setka.journal.urls")),
    path("notifications/", include("setka.notifications.urls")),
    path("programs/", include("setka.programs.urls")),
    path("events/", include("setka.events.urls")),
    path("resources/", include("setka.resources.urls")),
    path("readiness/", include("setka.readiness.urls")),
    path("schedule/", include("setka.schedule.urls")),
    path("api/v1/", api.urls),
    path("go/<slug:tool>/", nav.go, name="go"),  # the menu's way into an institution's tool
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
]

handler400 = "setka.core.views.bad_request"
handler403 = "setka.core.views.permission_denied"
handler404 = "setka.core.views.page_not_found"
handler500 = "setka.core.views.server_error"
