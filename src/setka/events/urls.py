from django.urls import path

from .views import calendar, event, feeds, manage, observation

app_name = "events"

urlpatterns = [
    path("", calendar.event_list, name="list"),
    path("month/", calendar.month, name="month"),
    path("week/", calendar.week, name="week"),
    path("feed.ics", feeds.municipal_feed, name="feed"),
    path("institutions/<slug:slug>/feed.ics", feeds.institution_feed, name="institution_feed"),
    path("feed/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
    path("my/", feeds.my_events, name="my"),
    path("my/feed-reset/", feeds.feed_reset, name="feed_reset"),
    path("certificates/", feeds.check, name="check"),
    path("certificates/<str:code>/", feeds.check_code, name="check_code"),
    path("criteria/", observation.criteria, name="criteria"),
    path("new/", manage.create, name="create"),
    path("<id:pk>/", event.detail, name="detail"),
    path("<id:pk>.ics", feeds.event_ics, name="ics"),
    path("<id:pk>/register/", event.register, name="register"),
    path("<id:pk>/unregister/", event.unregister, name="unregister"),
    path("<id:pk>/join/", event.join, name="join"),
    path("<id:pk>/certificate/", event.certificate, name="certificate"),
    path("<id:pk>/edit/", manage.edit, name="edit"),
    path("<id:pk>/publish/", manage.publish, name="publish"),
    path("<id:pk>/cancel/", manage.cancel, name="cancel"),
    path("<id:pk>/registrations/", manage.registrations, name="registrations"),
    path("<id:pk>/recording/", manage.recording, name="recording"),
    path("<id:pk>/protocol/", observation.protocol, name="protocol"),
    path("<id:pk>/protocols/", observation.protocols, name="protocols"),
]
