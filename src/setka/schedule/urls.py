from django.urls import path

from .views import items, schedules

app_name = "schedule"

urlpatterns = [
    path("", schedules.schedule_list, name="list"),
    path("new/", schedules.schedule_create, name="create"),
    path("<id:pk>/", schedules.schedule_detail, name="detail"),
    path("<id:pk>/edit/", schedules.schedule_edit, name="edit"),
    path("<id:pk>/status/", schedules.schedule_status, name="status"),
    path("<id:pk>/run/", schedules.schedule_run, name="run"),
    path("<id:pk>/publish/", schedules.schedule_publish, name="publish"),
    path("<id:pk>/changes/", schedules.schedule_changes, name="changes"),
    path("<id:pk>/items/new/", items.item_create, name="item_create"),
    path("items/<id:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<id:pk>/move/", items.item_adjust, name="item_adjust"),
    path("items/<id:pk>/delete/", items.item_delete, name="item_delete"),
]
