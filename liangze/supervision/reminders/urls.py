from django.urls import path

from liangze.supervision.reminders import views as reminder_views

urlpatterns = [
    path("reminders/", reminder_views.reminders, name="reminders"),
    path("reminders/<uuid:code>/", reminder_views.reminder_detail, name="reminder"),
    path(
        "reminders/<uuid:code>/acknowledge/",
        reminder_views.reminder_acknowledge,
        name="reminder_acknowledge",
    ),
]
