from django.urls import path

from liangze.ledger.entries import views as entry_views

urlpatterns = [
    path("", entry_views.index, name="index"),
    path("lists/<uuid:code>/", entry_views.grid, name="grid"),
    path(
        "lists/<uuid:code>/items/<int:seq>/<str:period>/new/",
        entry_views.entry_new,
        name="entry_new",
    ),
    path("lists/<uuid:code>/items/<int:seq>/<str:period>/", entry_views.cell, name="cell"),
    path(
        "lists/<uuid:code>/items/<int:seq>/<str:period>/comments/",
        entry_views.cell_comment,
        name="cell_comment",
    ),
    path("entries/<uuid:code>/", entry_views.entry_detail, name="entry"),
    path("entries/<uuid:code>/verify/", entry_views.entry_verify, name="entry_verify"),
    path("entries/<uuid:code>/reject/", entry_views.entry_reject, name="entry_reject"),
]
