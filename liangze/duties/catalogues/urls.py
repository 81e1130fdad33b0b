from django.urls import path

from liangze.duties.catalogues import views

urlpatterns = [
    path("catalogues/", views.catalogues, name="catalogues"),
    path("catalogues/<uuid:code>/", views.catalogue_detail, name="catalogue"),
    path(
        "catalogues/<uuid:code>/entries/<str:ref>/", views.catalogue_entry, name="catalogue_entry"
    ),
    path("catalogues/<uuid:code>/settings/", views.catalogue_settings, name="catalogue_settings"),
    path("catalogues/<uuid:code>/issue/", views.catalogue_issue, name="catalogue_issue"),
    path(
        "catalogues/<uuid:code>/new-version/",
        views.catalogue_new_version,
        name="catalogue_new_version",
    ),
]
