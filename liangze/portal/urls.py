from django.urls import path

from liangze.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("healthz", views.healthz, name="healthz"),
    path("files/<uuid:code>/", views.evidence, name="evidence"),
]
