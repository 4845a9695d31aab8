from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("settings/", views.notification_settings, name="settings"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("<id:pk>/", views.notification_open, name="open"),
    path("<id:pk>/read/", views.notification_read, name="read"),
]
