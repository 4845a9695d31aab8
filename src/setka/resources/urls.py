from django.urls import path

from .views import bookings, calendar, manage

app_name = "resources"

urlpatterns = [
    path("", calendar.catalogue, name="catalogue"),
    path("<id:pk>/", calendar.resource_week, name="resource"),
    path("<id:pk>/month/", calendar.resource_month, name="month"),
    path("<id:pk>/feed.ics", calendar.resource_feed, name="feed"),
    path("<id:pk>/book/", bookings.book, name="book"),
    path("<id:pk>/edit/", manage.resource_edit, name="edit"),
    path("bookings/", bookings.booking_list, name="bookings"),
    path("bookings/<id:pk>/", bookings.booking_detail, name="booking"),
    path("bookings/<id:pk>/approve/", bookings.booking_approve, name="approve"),
    path("bookings/<id:pk>/refuse/", bookings.booking_refuse, name="refuse"),
    path("bookings/<id:pk>/cancel/", bookings.booking_cancel, name="cancel"),
    path("centre/<slug:slug>/", manage.centre, name="centre"),
    path("centre/<slug:slug>/new/", manage.resource_create, name="create"),
]
