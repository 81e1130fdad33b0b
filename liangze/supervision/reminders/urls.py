from django.urls import path

from liangze.supervision.reminders import views as reminder_views

urlpatterns = [
    path("ladder/", reminder_views.ladder, name="ladder"),
    path("ladder/new/", reminder_views.ladder_new, name="ladder_new"),
    path("reminders/", reminder_views.reminders, name="reminders"),
    path("reminders/<uuid:code>/", reminder_views.reminder_detail, name="reminder"),
    path(
        "reminders/<uuid:code>/acknowledge/",
        reminder_views.reminder_acknowledge,
        name="reminder_acknowledge",
    ),
]
