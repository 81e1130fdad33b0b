from django.urls import path

from liangze.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("holidays/", views.holiday_years, name="holidays"),
    path("jobs/", views.job_runs, name="jobs"),
    path("holidays/enter/", views.holiday_year_form, name="holiday_year"),
    path("healthz", views.healthz, name="healthz"),
    path("files/<uuid:code>/", views.evidence, name="evidence"),
]
