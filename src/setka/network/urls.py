from django.urls import path

from .views import manage, people, public

app_name = "network"

urlpatterns = [
    # Public directory
    path("institutions/", public.directory, name="directory"),
    path("institutions/<slug:slug>/", public.institution_detail, name="institution"),
    # Registry management (municipal admins, methodologists; institution admins: contacts)
    path("manage/institutions/", manage.institution_list, name="manage_institutions"),
    path("manage/institutions/new/", manage.institution_create, name="institution_create"),
    path("manage/institutions/<slug:slug>/edit/", manage.institution_edit, name="institution_edit"),
    path("manage/municipal-roles/", manage.municipal_roles, name="municipal_roles"),
    path(
        "manage/municipal-roles/<id:pk>/end/",
        manage.municipal_role_end,
        name="municipal_role_end",
    ),
    # People of an institution (institution admins, municipal admins)
    path("manage/institutions/<slug:slug>/people/", people.people_list, name="people"),
    path("manage/institutions/<slug:slug>/people/new/", people.person_add, name="person_add"),
    path(
        "manage/institutions/<slug:slug>/people/import/",
        people.people_import,
        name="people_import",
    ),
    path(
        "manage/institutions/<slug:slug>/people/import/template.<str:fmt>",
        people.people_import_template,
        name="people_import_template",
    ),
    path("people/<id:pk>/", people.person_detail, name="person"),
    path("people/<id:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<id:pk>/account/", people.person_account, name="person_account"),
    path("people/<id:pk>/memberships/new/", people.membership_add, name="membership_add"),
    path("people/<id:pk>/guardians/new/", people.guardian_add, name="guardian_add"),
    path("memberships/<id:pk>/end/", people.membership_end, name="membership_end"),
    path("guardianships/<id:pk>/end/", people.guardianship_end, name="guardianship_end"),
]
