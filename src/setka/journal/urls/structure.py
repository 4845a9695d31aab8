"""The structure of the school year (the institution's administration) and the imports. Included
by ``journal/urls/__init__.py`` into the "journal" namespace."""

from django.urls import path

from ..views import structure as s
from ..views import structure_groups as g
from ..views import structure_imports as imp
from ..views import structure_lessons as les
from ..views import structure_timetable as tt

urlpatterns = [
    path("structure/", s.index, name="structure_index"),
    path("structure/<slug:slug>/years/", s.years, name="structure_years"),
    path("structure/<slug:slug>/years/new/", s.year_create, name="structure_year_create"),
    path("structure/years/<id:pk>/", s.year_detail, name="structure_year"),
    path("structure/years/<id:pk>/settings/", s.year_settings, name="structure_year_settings"),
    path("structure/years/<id:pk>/holidays/", s.holiday_add, name="structure_holiday_add"),
    path("structure/holidays/<id:pk>/remove/", s.holiday_remove, name="structure_holiday_remove"),
    path("structure/periods/<id:pk>/close/", s.period_close, name="structure_period_close"),
    path("structure/periods/<id:pk>/reopen/", s.period_reopen, name="structure_period_reopen"),
    # Classes and groups
    path("structure/years/<id:pk>/groups/", g.groups, name="structure_groups"),
    path("structure/years/<id:pk>/groups/new/", g.group_create, name="structure_group_create"),
    path("structure/groups/<id:pk>/", g.group_detail, name="structure_group"),
    path("structure/groups/<id:pk>/edit/", g.group_edit, name="structure_group_edit"),
    path("structure/groups/<id:pk>/members/", g.members_add, name="structure_members_add"),
    path("structure/members/<id:pk>/remove/", g.member_remove, name="structure_member_remove"),
    path(
        "structure/groups/<id:pk>/assignments/",
        g.assignment_add,
        name="structure_assignment_add",
    ),
    path("structure/assignments/<id:pk>/end/", g.assignment_end, name="structure_assignment_end"),
    # Bells, the timetable, lessons
    path("structure/years/<id:pk>/bells/", tt.bells, name="structure_bells"),
    path(
        "structure/years/<id:pk>/bells/default/",
        tt.bells_default,
        name="structure_bells_default",
    ),
    path("structure/bells/<id:pk>/remove/", tt.bell_remove, name="structure_bell_remove"),
    path("structure/groups/<id:pk>/timetable/", tt.group_timetable, name="structure_timetable"),
    path("structure/timetable/<id:pk>/end/", tt.entry_end, name="structure_entry_end"),
    path("structure/years/<id:pk>/generate/", tt.generate, name="structure_generate"),
    path("structure/years/<id:pk>/day/", les.day, name="structure_day"),
    path("structure/lessons/<id:pk>/", les.lesson_detail, name="structure_lesson"),
    path(
        "structure/lessons/<id:pk>/substitute/",
        les.lesson_substitute,
        name="structure_lesson_substitute",
    ),
    path("structure/lessons/<id:pk>/cancel/", les.lesson_cancel, name="structure_lesson_cancel"),
    path("structure/lessons/<id:pk>/move/", les.lesson_move, name="structure_lesson_move"),
    # Imports
    path("imports/years/<id:pk>/", imp.import_home, name="import_home"),
    path(
        "imports/years/<id:pk>/<slug:kind>/",
        imp.import_file,
        name="import_file",
    ),
    path("imports/groups/<id:pk>/plan/", imp.import_plan, name="import_plan"),
    path(
        "imports/years/<id:pk>/export/<slug:kind>.<str:fmt>",
        imp.export_file,
        name="import_export",
    ),
    path(
        "imports/templates/<slug:kind>.<str:fmt>",
        imp.import_template,
        name="import_template",
    ),
]
