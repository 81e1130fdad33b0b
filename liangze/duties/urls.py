from django.urls import path

from liangze.duties import document_views
from liangze.duties.coverage import views as coverage_views
from liangze.duties.lists import views

app_name = "duties"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("reviews/", views.reviews, name="reviews"),
    path("coverage/", coverage_views.coverage_page, name="coverage"),
    path("catalogues/", views.catalogues, name="catalogues"),
    path("catalogues/<uuid:code>/", views.catalogue_detail, name="catalogue"),
    path(
        "catalogues/<uuid:code>/entries/<str:ref>/", views.catalogue_entry, name="catalogue_entry"
    ),
    path("catalogues/<uuid:code>/issue/", views.catalogue_issue, name="catalogue_issue"),
    path(
        "catalogues/<uuid:code>/new-version/",
        views.catalogue_new_version,
        name="catalogue_new_version",
    ),
    path("<uuid:code>/", views.list_detail, name="list"),
    path("<uuid:code>/edit/", views.edit, name="edit"),
    path("<uuid:code>/diff/", views.diff, name="diff"),
    path("<uuid:code>/discuss/", views.discuss, name="discuss"),
    path("<uuid:code>/sign/", views.sign, name="sign"),
    path("<uuid:code>/submit/", views.submit, name="submit"),
    path("<uuid:code>/review/", views.review, name="review"),
    path("<uuid:code>/publish/", views.publish, name="publish"),
    path("<uuid:code>/revise/", views.revise, name="revise"),
    path("<uuid:code>/export.xlsx", document_views.export_xlsx, name="export_xlsx"),
    path("<uuid:code>/export.docx", document_views.export_docx, name="export_docx"),
    path("<uuid:code>/import/", document_views.import_xlsx, name="import_xlsx"),
]
