"""The structure of the school year (the institution's administration) and the imports. Included
by ``journal/urls.py`` into the "journal" namespace."""

from django.urls import path

from .views import structure as s
from .views import structure_groups as g
from .views import structure_imports as imp
from .views import structure_lessons as les
from .views import structure_timetable as tt

urlpatterns = [
    path("structure/", s.index, name="structure_index"),
    path("structure/<slug:slug>/years/", s.years, name="structure_years"),
    path("structure/<slug:slug>/years/new/", s.year_create, name="structure_year_create"),
    path("structure/years/<int:pk>/", s.year_detail, name="structure_year"),
    path("structure/years/<int:pk>/settings/", s.year_settings, name="structure_year_settings"),
    path("structure/years/<int:pk>/holidays/", s.holiday_add, name="structure_holiday_add"),
    path("structure/holidays/<int:pk>/remove/", s.holiday_remove, name="structure_holiday_remove"),
    path("structure/periods/<int:pk>/close/", s.period_close, name="structure_period_close"),
    path("structure/periods/<int:pk>/reopen/", s.period_reopen, name="structure_period_reopen"),
    # Classes and groups
    path("structure/years/<int:pk>/groups/", g.groups, name="structure_groups"),
    path("structure/years/<int:pk>/groups/new/", g.group_create, name="structure_group_create"),
    path("structure/groups/<int:pk>/", g.group_detail, name="structure_group"),
    path("structure/groups/<int:pk>/edit/", g.group_edit, name="structure_group_edit"),
    path("structure/groups/<int:pk>/members/", g.members_add, name="structure_members_add"),
    path("structure/members/<int:pk>/remove/", g.member_remove, name="structure_member_remove"),
    path(
        "structure/groups/<int:pk>/assignments/",
        g.assignment_add,
        name="structure_assignment_add",
    ),
    path("structure/assignments/<int:pk>/end/", g.assignment_end, name="structure_assignment_end"),
    # Bells, the timetable, lessons
    path("structure/years/<int:pk>/bells/", tt.bells, name="structure_bells"),
    path(
        "structure/years/<int:pk>/bells/default/",
        tt.bells_default,
        name="structure_bells_default",
    ),
    path("structure/bells/<int:pk>/remove/", tt.bell_remove, name="structure_bell_remove"),
    path("structure/groups/<int:pk>/timetable/", tt.group_timetable, name="structure_timetable"),
    path("structure/timetable/<int:pk>/end/", tt.entry_end, name="structure_entry_end"),
    path("structure/years/<int:pk>/generate/", tt.generate, name="structure_generate"),
    path("structure/years/<int:pk>/day/", les.day, name="structure_day"),
    path("structure/lessons/<int:pk>/", les.lesson_detail, name="structure_lesson"),
    path(
        "structure/lessons/<int:pk>/substitute/",
        les.lesson_substitute,
        name="structure_lesson_substitute",
    ),
    path("structure/lessons/<int:pk>/cancel/", les.lesson_cancel, name="structure_lesson_cancel"),
    path("structure/lessons/<int:pk>/move/", les.lesson_move, name="structure_lesson_move"),
    # Imports
    path("imports/years/<int:pk>/", imp.import_home, name="import_home"),
    path(
        "imports/years/<int:pk>/<slug:kind>/",
        imp.import_file,
        name="import_file",
    ),
    path("imports/groups/<int:pk>/plan/", imp.import_plan, name="import_plan"),
    path(
        "imports/years/<int:pk>/export/<slug:kind>.<str:fmt>",
        imp.export_file,
        name="import_export",
    ),
    path(
        "imports/templates/<slug:kind>.<str:fmt>",
        imp.import_template,
        name="import_template",
    ),
]
