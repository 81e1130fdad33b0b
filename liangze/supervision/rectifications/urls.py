from django.urls import path

from liangze.supervision.rectifications import views

urlpatterns = [
    path("rectifications/", views.rectifications, name="rectifications"),
    path("rectifications/<uuid:code>/", views.rectification_detail, name="rectification"),
    path("rectifications/<uuid:code>/plan/", views.rectification_plan, name="rectification_plan"),
    path(
        "rectifications/<uuid:code>/report/",
        views.rectification_report,
        name="rectification_report",
    ),
    path(
        "rectifications/<uuid:code>/verify/",
        views.rectification_verify,
        name="rectification_verify",
    ),
    path(
        "rectifications/<uuid:code>/return/",
        views.rectification_return,
        name="rectification_return",
    ),
]
