from django.urls import path

from liangze.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<uuid:code>/", views.org_detail, name="org"),
    path("<uuid:code>/children/", views.tree_children, name="children"),
    path("people/", views.people, name="people"),
    path("people/<uuid:code>/", views.person_detail, name="person"),
    path("import/", views.import_page, name="import"),
    path("import/template/", views.import_template, name="import_template"),
]
