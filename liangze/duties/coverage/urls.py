from django.urls import path

from liangze.duties.coverage import views

urlpatterns = [
    path("coverage/", views.coverage_page, name="coverage"),
]
