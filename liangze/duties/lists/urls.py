from django.urls import path

from liangze.duties.lists import views

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("reviews/", views.reviews, name="reviews"),
    path("<uuid:code>/", views.list_detail, name="list"),
    path("<uuid:code>/edit/", views.edit, name="edit"),
    path("<uuid:code>/print/", views.print_form, name="print"),
    path("<uuid:code>/diff/", views.diff, name="diff"),
    path("<uuid:code>/discuss/", views.discuss, name="discuss"),
    path("<uuid:code>/sign/", views.sign, name="sign"),
    path("<uuid:code>/paper-sign/", views.paper_sign, name="paper_sign"),
    path("<uuid:code>/submit/", views.submit, name="submit"),
    path("<uuid:code>/review/", views.review, name="review"),
    path("<uuid:code>/publish/", views.publish, name="publish"),
    path("<uuid:code>/revise/", views.revise, name="revise"),
    path("<uuid:code>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<uuid:code>/export.docx", views.export_docx, name="export_docx"),
    path("<uuid:code>/import/", views.import_xlsx, name="import_xlsx"),
]
