from django.urls import path

from liangze.ledger.activities import views as activity_views

urlpatterns = [
    path("activities/", activity_views.activities, name="activities"),
    path("activities/new/", activity_views.activity_new, name="activity_new"),
    path("activities/<uuid:code>/", activity_views.activity_detail, name="activity"),
    path("activities/<uuid:code>/edit/", activity_views.activity_edit, name="activity_edit"),
    path("activities/<uuid:code>/delete/", activity_views.activity_delete, name="activity_delete"),
]
