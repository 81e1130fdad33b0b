from django.urls import path

from liangze.supervision.inspections import views

urlpatterns = [
    path("", views.inspections, name="inspections"),
    path("new/", views.inspection_new, name="inspection_new"),
    path("<uuid:code>/", views.inspection_detail, name="inspection"),
    path("<uuid:code>/targets/", views.target_add, name="target_add"),
    path("<uuid:code>/sync/", views.targets_sync, name="targets_sync"),
    path("<uuid:code>/draw/", views.draw, name="draw"),
    path("<uuid:code>/draw/verify/", views.draw_verify, name="draw_verify"),
    path("<uuid:code>/start/", views.inspection_start, name="start"),
    path("<uuid:code>/conclude/", views.inspection_conclude, name="conclude"),
    path("<uuid:code>/export/", views.inspection_export, name="export"),
    path("targets/<uuid:code>/", views.target_detail, name="target"),
    path("targets/<uuid:code>/remove/", views.target_remove, name="target_remove"),
    path("targets/<uuid:code>/check/", views.target_check, name="target_check"),
    path("targets/<uuid:code>/findings/new/", views.finding_new, name="finding_new"),
    path("targets/<uuid:code>/review/", views.review, name="review"),
    path("findings/<uuid:code>/rectify/", views.finding_rectify, name="finding_rectify"),
    path("findings/<uuid:code>/sanction/", views.finding_sanction, name="finding_sanction"),
    path("flags/", views.flags, name="flags"),
    path("flags/<uuid:code>/delete/", views.flag_delete, name="flag_delete"),
]
