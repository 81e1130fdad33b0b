from django.urls import path

from liangze.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("healthz", views.healthz, name="healthz"),
]
