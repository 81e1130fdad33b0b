from django.urls import path

from liangze.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("scale/", views.scale, name="scale"),
    path("scale/new/", views.scale_new, name="scale_new"),
]
