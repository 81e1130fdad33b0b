from django.urls import path

from liangze.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate, name="generate"),
    path("generate/duty/", views.generate_duty, name="generate_duty"),
    path("generate/tasks/", views.generate_tasks, name="generate_tasks"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<uuid:code>/<int:seq>/", views.task_assign, name="task_assign"),
    path("progress/", views.progress, name="progress"),
    path("progress/order/", views.progress_order, name="progress_order"),
    path("from-reminder/<uuid:code>/", views.from_reminder, name="from_reminder"),
    path("issuers/", views.issuers, name="issuers"),
    path("<uuid:code>/", views.detail, name="notice"),
    path("<uuid:code>/edit/", views.edit, name="edit"),
    path("<uuid:code>/issue/", views.issue, name="issue"),
    path("<uuid:code>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:code>/delete/", views.delete, name="delete"),
    path("<uuid:code>/download.docx", views.download, name="download"),
]
