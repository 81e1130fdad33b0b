from django.urls import path

from liangze.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<uuid:code>/", views.org_detail, name="org"),
    path("<uuid:code>/children/", views.tree_children, name="children"),
    path("<uuid:code>/groups/new/", views.group_new, name="group_new"),
    path("groups/<uuid:code>/", views.group_detail, name="group"),
    path("groups/<uuid:code>/edit/", views.group_edit, name="group_edit"),
    path("groups/<uuid:code>/members/", views.member_add, name="member_add"),
    path("groups/members/<uuid:code>/end/", views.member_end, name="member_end"),
    path("people/", views.people, name="people"),
    path("people/<uuid:code>/", views.person_detail, name="person"),
    path("import/", views.import_page, name="import"),
    path("import/template/", views.import_template, name="import_template"),
]
